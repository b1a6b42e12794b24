/**
 * The entropy measurement's `OnnxRuntime` over an onnxruntime module: onnxruntime-node in Node,
 * onnxruntime-web in a page, a worker or Node. Both follow onnxruntime-common's API, so the caller
 * passes the module object in and this file imports types only: the engine loads no runtime.
 */
import type * as Ort from 'onnxruntime-common';
import type { OnnxRuntime, TensorFeed } from '../entropy';

/** the part of an onnxruntime module this adapter uses */
export type OrtModule = Pick<typeof Ort, 'InferenceSession' | 'Tensor' | 'env'>;

export interface OrtRuntimeOptions {
  /** default: 'cpu' for onnxruntime-node, 'wasm' for onnxruntime-web */
  executionProvider?: string;
  /**
   * Intra-op threads (default: the runtime's). For onnxruntime-web this sets the module's global
   * `env.wasm.numThreads`, which takes effect only before its first session loads the wasm.
   */
  threads?: number;
  /** default 'all' */
  graphOptimizationLevel?: Ort.InferenceSession.SessionOptions['graphOptimizationLevel'];
}

export function ortRuntime(ort: OrtModule, options: OrtRuntimeOptions = {}): OnnxRuntime {
  const { versions } = ort.env;
  const web = versions.web !== undefined;
  const executionProvider = options.executionProvider ?? (web ? 'wasm' : 'cpu');
  if (web && options.threads !== undefined) ort.env.wasm.numThreads = options.threads;
  const threads = web ? ort.env.wasm.numThreads : options.threads;
  const sessionOptions: Ort.InferenceSession.SessionOptions = {
    executionProviders: [executionProvider],
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    ...(!web && options.threads !== undefined && { intraOpNumThreads: options.threads }),
  };
  const toTensor = (feed: TensorFeed) => new ort.Tensor('float32', feed.data, feed.dims);
  return {
    provider: `onnxruntime-${web ? 'web' : 'node'} ${web ? versions.web : versions.node}, ${executionProvider}${threads !== undefined ? `, ${threads} thread${threads === 1 ? '' : 's'}` : ''}`,
    async create(model) {
      const session = await ort.InferenceSession.create(model, sessionOptions);
      return {
        async run(feeds) {
          const results = await session.run(Object.fromEntries(Object.entries(feeds).map(([name, feed]) => [name, toTensor(feed)])));
          return Object.fromEntries(Object.entries(results).map(([name, tensor]) => [name, tensor.data as Float32Array]));
        },
        release: () => session.release(),
      };
    },
  };
}
