/** Web Worker entry for one island of a multi-worker search (see islandService.ts). */
import * as Comlink from 'comlink';
import { holdLifeLock } from './liveness';
import { createIslandService } from './islandService';

Comlink.expose(createIslandService());
// the spawner knows this worker is gone when its lock is free (liveness.ts)
void holdLifeLock();
