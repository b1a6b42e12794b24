/**
 * `cli worker --queue redis://HOST:PORT [--threads T] [--concurrency C]`: a scoring worker of the
 * distributed measured search. It takes jobs from the queue (BullMQ on Redis), reads each through
 * the job reader — a malformed or hostile job fails with its reason and is never retried — and
 * scores its structures with MAE-DET's measured entropy on the job's backend: onnxruntime-node
 * (cpu) or onnxruntime-web's wasm backend. A result carries the job's batch and each structure's
 * key (structure, settings and backend), so a job delivered twice is harmless. SIGTERM (or
 * SIGINT) finishes the jobs in hand, then exits.
 */
import { parseArgs } from 'node:util';
import type { NodeBackend } from '../engine/entropy';
import { entropyScorer, type EntropyScorer } from '../engine/evolution/entropyScorer';

import { ortRuntime } from '../engine/onnx/ortRuntime';
import type { OnnxRuntime } from '../engine/entropy';
import { integerOption, UsageError } from './args';
import { connectQueue, QUEUE_NAME, redactedUrl, scoringWorker } from './queue';
import { ortModule } from './runtimes';

export async function workerCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { queue: { type: 'string' }, threads: { type: 'string' }, concurrency: { type: 'string' } } });
  if (values.queue === undefined) throw new UsageError('worker needs --queue redis://HOST:PORT (or rediss://, with :password@ if the server asks for one)');
  const threads = integerOption(values.threads, 'threads', 1);
  const concurrency = integerOption(values.concurrency, 'concurrency', 1) ?? 1;
  const connection = await connectQueue(values.queue);
  // a runtime per backend, loaded when a job first asks for it
  const runtimes = new Map<NodeBackend, Promise<OnnxRuntime>>();
  const runtimeOf = (backend: NodeBackend) => {
    let runtime = runtimes.get(backend);
    if (!runtime) runtimes.set(backend, (runtime = ortModule(backend).then((ort) => ortRuntime(ort, { threads }))));
    return runtime;
  };
  // onnxruntime-web's wasm backend measures on this thread, one run at a time: its jobs take turns
  // (onnxruntime-node runs sessions side by side, so --concurrency 2 uses 2 cores)
  let wasmTurn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(backend: NodeBackend, measure: () => Promise<T>): Promise<T> => {
    if (backend !== 'wasm') return measure();
    const turn = wasmTurn.then(measure);
    wasmTurn = turn.catch(() => {});
    return turn;
  };
  // one scorer per backend and setting: it remembers the structures it measured and shares the draws
  const scorers = new Map<string, Promise<EntropyScorer>>();
  const worker = scoringWorker(connection, {
    concurrency,
    async scoreJob(job) {
      const key = JSON.stringify([job.backend, job.settings]);
      let scorer = scorers.get(key);
      if (!scorer) scorers.set(key, (scorer = runtimeOf(job.backend).then((runtime) => entropyScorer(job.settings, runtime))));
      const score = await scorer;
      const scores: number[] = [];
      for (const structure of job.structures) {
        scores.push(...(await inTurn(job.backend, () => score([structure]))));
        // between forward passes the lock on the job is renewed (wasm measures on this thread)
        await new Promise((resolve) => setImmediate(resolve));
      }
      return scores;
    },
  });
  worker.on('error', (e) => process.stderr.write(`worker: ${e.message}\n`));
  await worker.waitUntilReady();
  process.stderr.write(`worker: serving ${QUEUE_NAME} on ${redactedUrl(values.queue)} (${concurrency} at a time${threads === undefined ? '' : `, ${threads} thread${threads === 1 ? '' : 's'}`})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => void worker.close().then(resolve);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await connection.quit();
}
