/** Web Worker entry of the scoring service (see scoreService.ts), on onnxruntime-web. */
import * as Comlink from 'comlink';
import { ortLatencyRuntime, ortRuntime } from '../app/engine/onnx/ortRuntime';
import { chooseProvider } from './ortWeb';
import { holdLifeLock } from './liveness';
import { createScoreService } from './scoreService';

Comlink.expose(
  createScoreService(
    async (choice, threads) => {
      const { provider, ort } = await chooseProvider(choice, threads);
      return ortRuntime(ort, { executionProvider: provider });
    },
    async (choice, threads) => {
      const { provider, ort, adapter } = await chooseProvider(choice, threads);
      return ortLatencyRuntime(ort, { executionProvider: provider }, { adapter, agent: navigator.userAgent, crossOriginIsolated: self.crossOriginIsolated, defaultThreads: threads, now: () => performance.now() });
    },
  ),
);
// the spawner knows this worker is gone when its lock is free (liveness.ts)
void holdLifeLock();
