/** Web Worker entry of the lead search service (see searchService.ts); islands and the scorer get workers of their own. */
import * as Comlink from 'comlink';
import type { IslandSpawner, IslandWorkerApi } from './islandService';
import { holdLifeLock, watchedWorker } from './liveness';
import type { ScoreWorkerApi } from './scoreApi';
import { createSearchService, type ScorerSpawner } from './searchService';

const spawnIsland: IslandSpawner = (index) => {
  const { worker, died } = watchedWorker(`island ${index}`, (name) => new Worker(new URL('./island.worker.ts', import.meta.url), { type: 'module', name }));
  return { api: Comlink.wrap<IslandWorkerApi>(worker), failed: died, terminate: () => worker.terminate() };
};

const spawnScorer: ScorerSpawner = () => {
  const { worker, died } = watchedWorker('scoring', (name) => new Worker(new URL('./score.worker.ts', import.meta.url), { type: 'module', name }));
  return { api: Comlink.wrap<ScoreWorkerApi>(worker), failed: died, terminate: () => worker.terminate() };
};

const service = createSearchService(spawnIsland, spawnScorer);
Comlink.expose(service);
// the page knows this worker is gone when its lock is free (liveness.ts)
void holdLifeLock();
void service.warmUp();
