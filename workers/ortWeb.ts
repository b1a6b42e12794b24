/**
 * onnxruntime-web for the scoring worker: two builds, each with its wasm files served from this
 * origin (COEP forbids a CDN, and Vite's chunking breaks ORT's own worker loading without
 * explicit paths), threads when the page is cross-origin isolated, and the execution provider
 * chosen from what the browser really offers.
 *
 * wasm runs on onnxruntime-web's plain build (`onnxruntime-web/wasm`, ort-wasm-simd-threaded.wasm,
 * 14 MB) — the one onnxruntime-web loads in Node. The package's default build is the JSEP one
 * (28 MB), which carries the WebGPU provider; its CPU kernels ran MAE-DET-S's forward pass and
 * built its session markedly slower (bench --onnx), so it is loaded only for WebGPU.
 */
import * as ortWasm from 'onnxruntime-web/wasm';
// the package's default build: the JSEP WebGPU provider, on ort-wasm-simd-threaded.jsep.wasm
import * as ortWebGpu from 'onnxruntime-web';
import wasmGlue from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import wasmBinary from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import jsepGlue from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.mjs?url';
import jsepBinary from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import type { OrtModule } from '../app/engine/onnx/ortRuntime';
import type { ProviderChoice } from './scoreApi';

const configured = new Set<OrtModule>();

/** ORT reads these once, at its first session, so they are set before anything else */
function configure(ort: OrtModule, files: { mjs: string; wasm: string }, threads: number): OrtModule {
  if (configured.has(ort)) return ort;
  ort.env.wasm.wasmPaths = { mjs: new URL(files.mjs, self.location.href).href, wasm: new URL(files.wasm, self.location.href).href };
  // threads need cross-origin isolation (SharedArrayBuffer); without it ORT runs one
  ort.env.wasm.numThreads = self.crossOriginIsolated ? threads : 1;
  configured.add(ort);
  return ort;
}

interface GpuAdapterLike {
  info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; description?: string };
  isFallbackAdapter?: boolean;
}

async function webgpuAdapter(): Promise<GpuAdapterLike | null> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  if (!gpu) return null;
  try {
    return await gpu.requestAdapter();
  } catch {
    return null;
  }
}

/**
 * The execution provider for a choice, the onnxruntime-web build that runs it, and its label for
 * people. `auto` takes WebGPU only on a hardware adapter: a software one (SwiftShader) is far
 * slower than wasm.
 */
export async function chooseProvider(choice: ProviderChoice, threads: number): Promise<{ provider: 'webgpu' | 'wasm'; ort: OrtModule; label: string; adapter: string }> {
  const wasmOrt = configure(ortWasm, { mjs: wasmGlue, wasm: wasmBinary }, threads);
  const numThreads = wasmOrt.env.wasm.numThreads;
  const cores = `CPU, ${navigator.hardwareConcurrency} logical cores`;
  const wasm = { provider: 'wasm' as const, ort: wasmOrt, label: `wasm (${numThreads} thread${numThreads === 1 ? '' : 's'})`, adapter: cores };
  if (choice === 'wasm') return wasm;
  const adapter = await webgpuAdapter();
  if (!adapter) {
    if (choice === 'webgpu') throw new Error('this browser offers no WebGPU adapter; choose wasm (or auto)');
    return wasm;
  }
  const software = adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  if (choice === 'auto' && software) return wasm;
  const gpuOrt = configure(ortWebGpu, { mjs: jsepGlue, wasm: jsepBinary }, threads);
  const info = adapter.info ?? {};
  const described = [info.vendor, info.architecture, info.description].filter((v) => v).join(' ') || 'unnamed adapter';
  return { provider: 'webgpu', ort: gpuOrt, label: software ? 'webgpu (software adapter)' : 'webgpu', adapter: `${described}${software ? ' (software)' : ''}` };
}
