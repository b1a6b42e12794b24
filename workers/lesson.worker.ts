/** Web Worker entry of the lesson service (see lessonService.ts). */
import * as Comlink from 'comlink';
import { holdLifeLock } from './liveness';
import { createLessonService } from './lessonService';

Comlink.expose(createLessonService());
// the spawner knows this worker is gone when its lock is free (liveness.ts)
void holdLifeLock();
