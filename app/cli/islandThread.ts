/**
 * A Node worker thread running one island of a multi-worker search (see engine/evolution/islands).
 * app/cli/run.mjs bundles it as islandThread.mjs beside the entry that starts it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RunConfig } from '../engine/config';
import { transferablesOf } from '../engine/evolution/codec';
import { IslandWorker, type IslandResult, type IslandTask } from '../engine/evolution/islands';
import type { SearchSnapshot } from '../engine/evolution/search';

/** a round's task, or a request for the island's state; replies come in the order asked */
export type IslandRequest = { task: IslandTask } | { snapshot: true };
export type IslandReply = IslandResult | SearchSnapshot;

const port = parentPort!;
const { config, index, from } = workerData as { config: RunConfig; index: number; from?: SearchSnapshot };
const island = new IslandWorker(config, index, from);
port.on('message', (request: IslandRequest) => {
  if ('task' in request) {
    const result = island.run(request.task);
    port.postMessage(result, transferablesOf(result.population));
  } else port.postMessage(island.search.snapshot());
});
port.postMessage('ready');
