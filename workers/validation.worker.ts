/** Web Worker entry of the validation service (see validationService.ts), on onnxruntime-web for the measured entropy. */
import * as Comlink from 'comlink';
import { ortRuntime } from '../app/engine/onnx/ortRuntime';
import { holdLifeLock } from './liveness';
import { DEFAULT_THREADS } from './scoreApi';
import { createValidationService } from './validationService';
import { fetchNasBenchMacro } from './nasBenchMacroFile';

Comlink.expose(
  createValidationService({
    macroFile: fetchNasBenchMacro,
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
