/**
 * Running a search from Node: one worker in this thread (exactly the reference's single-process
 * loop), or W worker threads exchanging populations every sync interval.
 */
import { Worker } from 'node:worker_threads';
import type { RunConfig } from '../engine/config';
import { transferablesOf } from '../engine/evolution/codec';
import { IslandSearch, IslandWorker, type IslandResult, type IslandTask } from '../engine/evolution/islands';
import type { MemberRecord } from '../engine/evolution/population';
import { Search, type HistoryPoint } from '../engine/evolution/search';
import { BatchedSearch, runBatchedSearch } from '../engine/evolution/batchedSearch';
import { entropyScorer, entropySettingsOf } from '../engine/evolution/entropyScorer';
import { ortRuntime } from '../engine/onnx/ortRuntime';

export interface Progress {
  evaluated: number;
  total: number;
  best: number;
  seconds: number;
}

export interface SearchOutcome {
  evaluated: number;
  population: MemberRecord[];
  history: HistoryPoint[];
  seconds: number;
}

const PROGRESS_INTERVAL_MS = 100;

/** A reporter that calls `onProgress` at most every PROGRESS_INTERVAL_MS (or always, if `force`). */
function progressReporter(onProgress: (p: Progress) => void, read: () => Omit<Progress, 'seconds'>) {
  const start = performance.now();
  let last = start;
  return {
    report(force = false): number {
      const now = performance.now();
      const seconds = (now - start) / 1000;
      if (force || now - last >= PROGRESS_INTERVAL_MS) {
        last = now;
        onProgress({ ...read(), seconds });
      }
      return seconds;
    },
  };
}

export async function runSearch(config: RunConfig, onProgress: (p: Progress) => void): Promise<SearchOutcome> {
  if (config.score.type === 'entropy') return runMeasured(config, onProgress);
  return config.search.workers > 1 ? runThreads(config, onProgress) : runSingle(config, onProgress);
}

/** children scored per runtime call batch; the next batch is mutated while one is measured */
const MEASURED_BATCH = 8;

/** The measured-entropy search: children mutated here, measured on onnxruntime-node. */
async function runMeasured(config: RunConfig, onProgress: (p: Progress) => void): Promise<SearchOutcome> {
  // loaded here so the analytic searches do not pay for the native runtime
  const ort = await import('onnxruntime-node');
  const score = entropyScorer(entropySettingsOf(config), ortRuntime(ort));
  const search = await BatchedSearch.start(config, score);
  const progress = progressReporter(onProgress, () => ({ evaluated: search.evaluated, total: search.total, best: search.population.best()!.score }));
  await runBatchedSearch(search, score, { batch: MEASURED_BATCH, onBatch: () => progress.report() });
  const seconds = progress.report(true);
  return { evaluated: search.evaluated, population: search.population.records(), history: search.history, seconds };
}

function runSingle(config: RunConfig, onProgress: (p: Progress) => void): SearchOutcome {
  const search = Search.create(config);
  const progress = progressReporter(onProgress, () => ({ evaluated: search.evaluated, total: search.total, best: search.best().score }));
  // advance in slices so the progress bar updates without a timer on this busy thread
  while (!search.done) {
    search.advance(1000);
    progress.report();
  }
  const seconds = progress.report(true);
  return { evaluated: search.evaluated, population: search.population.records(), history: search.history, seconds };
}

/** An island on a worker thread; tasks queue up and results come back in order. */
class ThreadIsland {
  private readonly pending: { resolve: (r: IslandResult) => void; reject: (e: unknown) => void }[] = [];

  private constructor(private readonly worker: Worker) {
    worker.on('message', (result: IslandResult) => this.pending.shift()?.resolve(result));
    worker.on('error', (e) => {
      for (const p of this.pending.splice(0)) p.reject(e);
    });
  }

  static start(config: RunConfig, index: number): Promise<ThreadIsland> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./islandThread.mjs', import.meta.url), { workerData: { config, index } });
      worker.once('error', reject);
      worker.once('message', () => {
        worker.off('error', reject);
        resolve(new ThreadIsland(worker));
      });
    });
  }

  run(task: IslandTask): Promise<IslandResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.worker.postMessage(task, transferablesOf(task.population));
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

async function runThreads(config: RunConfig, onProgress: (p: Progress) => void): Promise<SearchOutcome> {
  const search = IslandSearch.create(config);
  const coordinator = search.coordinator;
  // island 0 runs on this thread while the others run on worker threads, as TinyNAS's master
  // also searches
  const local = new IslandWorker(coordinator.config, 0);
  const threads = await Promise.all(Array.from({ length: coordinator.workers - 1 }, (_, i) => ThreadIsland.start(coordinator.config, i + 1)));
  const progress = progressReporter(onProgress, () => ({ evaluated: coordinator.evaluated, total: coordinator.total, best: coordinator.population.best()!.score }));
  try {
    await search.run(
      {
        async dispatch(tasks) {
          const remote = tasks.slice(1).map((t, i) => threads[i].run(t));
          return [local.run(tasks[0]), ...(await Promise.all(remote))];
        },
      },
      () => void progress.report(),
    );
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
  const seconds = progress.report(true);
  return { evaluated: coordinator.evaluated, population: coordinator.population.records(), history: coordinator.history, seconds };
}
