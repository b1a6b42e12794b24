/**
 * Web Worker holding one island of a multi-worker search (engine/evolution/islands). The lead
 * search worker starts it, hands it a task per round and asks for its state when autosaving.
 */
import * as Comlink from 'comlink';
import type { RunConfig } from '../app/engine/config';
import { IslandWorker, type IslandResult, type IslandTask } from '../app/engine/evolution/islands';
import type { SearchSnapshot } from '../app/engine/evolution/search';

let island: IslandWorker | null = null;

function started(): IslandWorker {
  if (!island) throw new Error('island worker used before start()');
  return island;
}

export const islandApi = {
  start(config: RunConfig, index: number, from?: SearchSnapshot): void {
    island = new IslandWorker(config, index, from);
  },
  run(task: IslandTask): IslandResult {
    const result = started().run(task);
    return Comlink.transfer(result, [result.population.buffer]);
  },
  snapshot(): SearchSnapshot {
    return started().search.snapshot();
  },
};

export type IslandWorkerApi = typeof islandApi;

Comlink.expose(islandApi);
