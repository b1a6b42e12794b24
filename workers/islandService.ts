/**
 * One island of a multi-worker search (engine/evolution/islands), as a comlink service: the lead
 * search worker starts it, hands it a task per round and asks for its state when autosaving.
 */
import * as Comlink from 'comlink';
import type { RunConfig } from '../app/engine/config';
import { transferablesOf } from '../app/engine/evolution/codec';
import { IslandWorker, type IslandResult, type IslandTask } from '../app/engine/evolution/islands';
import type { SearchSnapshot } from '../app/engine/evolution/search';

export function createIslandService() {
  let island: IslandWorker | null = null;
  const started = (): IslandWorker => {
    if (!island) throw new Error('island worker used before start()');
    return island;
  };
  return {
    start(config: RunConfig, index: number, from?: SearchSnapshot): void {
      island = new IslandWorker(config, index, from);
    },
    run(task: IslandTask): IslandResult {
      const result = started().run(task);
      return Comlink.transfer(result, transferablesOf(result.population));
    },
    snapshot(): SearchSnapshot {
      return started().search.snapshot();
    },
  };
}

export type IslandWorkerApi = ReturnType<typeof createIslandService>;

/** How the lead reaches a new island: in the page a Web Worker; in Node tests a MessageChannel. */
interface IslandConnection {
  api: Comlink.Remote<IslandWorkerApi>;
  /** rejects when the island's host dies, so calls to it fail instead of hanging */
  failed: Promise<never>;
  terminate(): void;
}

export type IslandSpawner = (index: number) => IslandConnection;
