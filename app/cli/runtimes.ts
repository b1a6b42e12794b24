/** The ONNX runtimes a Node host measures on: onnxruntime-node (cpu) or onnxruntime-web's wasm backend (wasm). */
import { NODE_BACKENDS, type NodeBackend } from '../engine/entropy';
import type { OrtModule } from '../engine/onnx/ortRuntime';
import { UsageError } from './args';

/** `--backend`: cpu (the default) or wasm */
export function backendOption(value: string | undefined): NodeBackend {
  if (value === undefined) return 'cpu';
  if ((NODE_BACKENDS as readonly string[]).includes(value)) return value as NodeBackend;
  throw new UsageError(`--backend: found ${JSON.stringify(value)}, expected ${NODE_BACKENDS.join(' or ')}`);
}

/** the backend's runtime module, loaded on first use so the commands that measure nothing do not pay for it */
export async function ortModule(backend: NodeBackend): Promise<OrtModule> {
  return backend === 'cpu' ? import('onnxruntime-node') : import('onnxruntime-web');
}
