/** Web Worker entry of the lead search service (see searchService.ts); islands and the scorer get workers of their own. */
import * as Comlink from 'comlink';
import type { IslandSpawner, IslandWorkerApi } from './islandService';
import type { ScoreWorkerApi } from './scoreApi';
import { createSearchService, type ScorerSpawner } from './searchService';

const spawnIsland: IslandSpawner = (index) => {
  const worker = new Worker(new URL('./island.worker.ts', import.meta.url), { type: 'module' });
  const failed = new Promise<never>((_, reject) => {
    worker.onerror = (e) => reject(new Error(`island worker ${index} failed: ${e.message || 'it could not start'}`));
  });
  return { api: Comlink.wrap<IslandWorkerApi>(worker), failed, terminate: () => worker.terminate() };
};

const spawnScorer: ScorerSpawner = () => {
  const worker = new Worker(new URL('./score.worker.ts', import.meta.url), { type: 'module' });
  return { api: Comlink.wrap<ScoreWorkerApi>(worker), terminate: () => worker.terminate() };
};

const service = createSearchService(spawnIsland, spawnScorer);
Comlink.expose(service);
void service.warmUp();
