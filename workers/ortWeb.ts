/**
 * onnxruntime-web for the scoring worker: its wasm files served from this origin (COEP forbids
 * a CDN, and Vite's chunking breaks ORT's own worker loading without explicit paths), threads
 * when the page is cross-origin isolated, and the execution provider chosen from what the
 * browser really offers.
 */
import * as ort from 'onnxruntime-web';
import wasmGlue from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.mjs?url';
import wasmBinary from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import type { ProviderChoice } from './scoreApi';

export { ort };

let configured = false;

/** ORT reads these once, at its first session, so they are set before anything else */
function configure(threads: number): void {
  if (configured) return;
  ort.env.wasm.wasmPaths = { mjs: new URL(wasmGlue, self.location.href).href, wasm: new URL(wasmBinary, self.location.href).href };
  // threads need cross-origin isolation (SharedArrayBuffer); without it ORT runs one
  ort.env.wasm.numThreads = self.crossOriginIsolated ? threads : 1;
  configured = true;
}

interface GpuAdapterLike {
  info?: { isFallbackAdapter?: boolean };
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
 * The execution provider for a choice and its label for people. `auto` takes WebGPU only on a
 * hardware adapter: a software one (SwiftShader) is far slower than wasm.
 */
export async function chooseProvider(choice: ProviderChoice, threads: number): Promise<{ provider: 'webgpu' | 'wasm'; label: string }> {
  configure(threads);
  const wasm = { provider: 'wasm' as const, label: `wasm (${ort.env.wasm.numThreads} thread${ort.env.wasm.numThreads === 1 ? '' : 's'})` };
  if (choice === 'wasm') return wasm;
  const adapter = await webgpuAdapter();
  if (!adapter) {
    if (choice === 'webgpu') throw new Error('this browser offers no WebGPU adapter; choose wasm (or auto)');
    return wasm;
  }
  const software = adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  if (choice === 'auto' && software) return wasm;
  return { provider: 'webgpu', label: software ? 'webgpu (software adapter)' : 'webgpu' };
}
