/**
 * A Node worker thread running one island of a multi-worker search (see engine/evolution/islands).
 * app/cli/run.mjs bundles it as islandThread.mjs beside the entry that starts it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RunConfig } from '../engine/config';
import { transferablesOf } from '../engine/evolution/codec';
import { IslandWorker, type IslandTask } from '../engine/evolution/islands';

const { config, index } = workerData as { config: RunConfig; index: number };
const worker = new IslandWorker(config, index);
parentPort!.on('message', (task: IslandTask) => {
  const result = worker.run(task);
  parentPort!.postMessage(result, transferablesOf(result.population));
});
parentPort!.postMessage('ready');
