/** Web Worker entry for one island of a multi-worker search (see islandService.ts). */
import * as Comlink from 'comlink';
import { createIslandService } from './islandService';

Comlink.expose(createIslandService());
