/**
 * The entropy measurement's `OnnxRuntime` over an onnxruntime module: onnxruntime-node in Node,
 * onnxruntime-web in a page, a worker or Node. Both follow onnxruntime-common's API, so the caller
 * passes the module object in and this file imports types only: the engine loads no runtime.
 */
import type * as Ort from 'onnxruntime-common';
import type { OnnxRuntime, TensorFeed } from '../entropy';
import type { DeviceInfo, LatencyRuntime } from '../latency/measure';

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

/** the session options, provider label and tensor maker both adapters share */
function sessionSetup(ort: OrtModule, options: OrtRuntimeOptions) {
  const { versions } = ort.env;
  const web = versions.web !== undefined;
  const executionProvider = options.executionProvider ?? (web ? 'wasm' : 'cpu');
  if (web && options.threads !== undefined) ort.env.wasm.numThreads = options.threads;
  const threads = web ? ort.env.wasm.numThreads : options.threads;
  // one execution provider per session: nothing falls back to another backend unseen
  const sessionOptions: Ort.InferenceSession.SessionOptions = {
    executionProviders: [executionProvider],
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    ...(!web && options.threads !== undefined && { intraOpNumThreads: options.threads }),
  };
  return {
    web,
    executionProvider,
    threads,
    runtime: `onnxruntime-${web ? 'web' : 'node'} ${web ? versions.web : versions.node}`,
    sessionOptions,
    toTensor: (feed: TensorFeed) => new ort.Tensor('float32', feed.data, feed.dims),
  };
}

export function ortRuntime(ort: OrtModule, options: OrtRuntimeOptions = {}): OnnxRuntime {
  const { executionProvider, threads, runtime, sessionOptions, toTensor } = sessionSetup(ort, options);
  return {
    provider: `${runtime}, ${executionProvider}${threads !== undefined ? `, ${threads} thread${threads === 1 ? '' : 's'}` : ''}`,
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

/** what the host knows of the device besides the runtime: the adapter, the agent, isolation */
export interface HostInfo {
  adapter: string;
  agent: string;
  crossOriginIsolated: boolean;
  /** the threads the runtime really uses when the options do not say (onnxruntime-node's default) */
  defaultThreads: number;
  /** the host's monotonic clock in ms (`performance.now`) */
  now(): number;
}

/** The latency timing's runtime over an onnxruntime module (measure.ts): one session per model, its tensors made once. */
export function ortLatencyRuntime(ort: OrtModule, options: OrtRuntimeOptions, host: HostInfo): LatencyRuntime {
  const { executionProvider, threads, runtime, sessionOptions, toTensor } = sessionSetup(ort, options);
  const device: DeviceInfo = { backend: executionProvider, runtime, adapter: host.adapter, threads: threads ?? host.defaultThreads, crossOriginIsolated: host.crossOriginIsolated, agent: host.agent };
  return {
    device,
    now: host.now,
    async load(model, feeds) {
      const session = await ort.InferenceSession.create(model, sessionOptions);
      const tensors = Object.fromEntries(Object.entries(feeds).map(([name, feed]) => [name, toTensor(feed)]));
      return {
        async run() {
          await session.run(tensors);
        },
        release: () => session.release(),
      };
    },
  };
}
