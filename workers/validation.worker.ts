/** Web Worker entry of the validation service (see validationService.ts), on onnxruntime-web for the measured entropy. */
import * as Comlink from 'comlink';
import { ortRuntime } from '../app/engine/onnx/ortRuntime';
import { holdLifeLock } from './liveness';
import { DEFAULT_THREADS } from './scoreApi';
import { createValidationService } from './validationService';

/** the shipped NAS-Bench-Macro file, served beside the app (public/) */
const MACRO_URL = new URL(`${import.meta.env.BASE_URL}data/nas-bench-macro/nas-bench-macro_cifar10.json`, self.location.origin);

Comlink.expose(
  createValidationService({
    async macroFile() {
      const response = await fetch(MACRO_URL);
      if (!response.ok) throw new Error(`NAS-Bench-Macro could not be downloaded from ${MACRO_URL.pathname}: ${response.status} ${response.statusText}`);
      return response.json();
    },
    async runtime() {
      // loaded with the first measurement: the statistics never need onnxruntime's script
      const { chooseProvider } = await import('./ortWeb');
      const { ort } = await chooseProvider('wasm', DEFAULT_THREADS);
      return ortRuntime(ort, { executionProvider: 'wasm' });
    },
  }),
);
// the spawner knows this worker is gone when its lock is free (liveness.ts)
void holdLifeLock();
