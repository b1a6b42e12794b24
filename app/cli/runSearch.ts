/**
 * Running a search from Node through the engine's one driver: islands 1… on worker threads, the
 * measured entropy on onnxruntime-node (cpu, the fastest) or onnxruntime-web's wasm backend (the
 * studio's runtime: a measured search gives the same run here and in the browser).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RunConfig } from '../engine/config';
import { transferablesOf } from '../engine/evolution/codec';
import { outcomeOf, startSearch, type IslandHost, type SearchHosts, type SearchOutcome } from '../engine/evolution/driver';
import { entropyScorer, entropySettingsOf } from '../engine/evolution/entropyScorer';
import type { IslandResult, IslandTask } from '../engine/evolution/islands';
import type { SearchSnapshot } from '../engine/evolution/search';
import type { NodeBackend } from '../engine/entropy';
import { ortRuntime } from '../engine/onnx/ortRuntime';
import type { IslandReply, IslandRequest } from './islandThread';
import { ortModule } from './runtimes';

export interface Progress {
  evaluated: number;
  total: number;
  best: number;
  seconds: number;
  /** a line more for the progress bar (the queue's workers and jobs) */
  detail?: string;
  /** children a resumed run read back from its journal: done before this session's clock, so not in its rate */
  resumedAt?: number;
}

const PROGRESS_INTERVAL_MS = 100;

/** An island on a worker thread; requests queue up and replies come back in order. */
function threadIsland(config: RunConfig, index: number, from?: SearchSnapshot): Promise<IslandHost> {
  const worker = new Worker(new URL('./islandThread.mjs', import.meta.url), { workerData: { config, index, from } });
  const pending: { resolve: (r: IslandReply) => void; reject: (e: unknown) => void }[] = [];
  const ask = <T extends IslandReply>(request: IslandRequest, transfer: ArrayBuffer[] = []) =>
    new Promise<T>((resolve, reject) => {
      pending.push({ resolve: resolve as (r: IslandReply) => void, reject });
      worker.postMessage(request, transfer);
    });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () => {
      worker.off('error', reject);
      worker.on('message', (reply: IslandReply) => pending.shift()?.resolve(reply));
      worker.on('error', (e) => {
        for (const p of pending.splice(0)) p.reject(e);
      });
      resolve({
        run: (task: IslandTask) => ask<IslandResult>({ task }, transferablesOf(task.population)),
        snapshot: () => ask<SearchSnapshot>({ snapshot: true }),
        dispose: () => void worker.terminate(),
      });
    });
  });
}

/**
 * Node's hosts for the driver: a measured search measures on `backend` with `threads` (default:
 * one per core, at most 4, as in the studio; the σ are the same bits for any count)
 */
export function nodeHosts({ backend = 'cpu', threads = Math.max(1, Math.min(4, availableParallelism())) }: { backend?: NodeBackend; threads?: number } = {}): SearchHosts {
  return {
    yield: () => new Promise((resolve) => setImmediate(resolve)),
    now: () => performance.now(),
    startIsland: threadIsland,
    async startScorer(config) {
      // loaded here so the analytic searches do not pay for the runtime
      const runtime = ortRuntime(await ortModule(backend), { threads });
      return { score: entropyScorer(entropySettingsOf(config), runtime), provider: runtime.provider, dispose() {} };
    },
  };
}

/**
 * Run a search to its end, calling `onProgress` at most every PROGRESS_INTERVAL_MS. The clock
 * (`seconds`) starts once the threads and the runtime are up, at the first child.
 */
export async function runSearch(config: RunConfig, onProgress: (p: Progress) => void, hosts: SearchHosts = nodeHosts()): Promise<SearchOutcome & { seconds: number; scoring?: { scored: number; provider: string } }> {
  const run = await startSearch(config, hosts);
  const start = performance.now();
  let last = start;
  const report = () => {
    const s = run.source;
    onProgress({ evaluated: s.evaluated, total: s.total, best: s.population.best()!.score, seconds: (performance.now() - start) / 1000 });
  };
  try {
    await run.run(() => {
      if (performance.now() - last >= PROGRESS_INTERVAL_MS) {
        last = performance.now();
        report();
      }
      return undefined;
    });
  } finally {
    run.dispose();
  }
  report();
  return { ...outcomeOf(run), seconds: (performance.now() - start) / 1000, ...(run.scoring && { scoring: { ...run.scoring } }) };
}
