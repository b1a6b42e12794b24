/** Web Worker entry of the scoring service (see scoreService.ts). */
import * as Comlink from 'comlink';
import { createScoreService } from './scoreService';

Comlink.expose(createScoreService());
