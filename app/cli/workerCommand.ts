/**
 * `cli worker --queue redis://HOST:PORT [--threads T] [--concurrency C]`: a scoring worker of the
 * distributed measured search. It takes jobs from the queue (BullMQ on Redis), reads each through
 * the job reader — a malformed or hostile job fails with its reason and is never retried — and
 * scores its structures with MAE-DET's measured entropy on onnxruntime-node. A result carries the
 * job's batch and each structure's key (structure and settings), so a job delivered twice is
 * harmless. SIGTERM (or SIGINT) finishes the jobs in hand, then exits.
 */
import { parseArgs } from 'node:util';
import { UnrecoverableError, Worker } from 'bullmq';
import { ConfigError, StructureError } from '../engine/errors';
import { entropyScorer } from '../engine/evolution/entropyScorer';
import type { StructureScorer } from '../engine/evolution/measuredSearch';
import { ortRuntime } from '../engine/onnx/ortRuntime';
import { readJob, resultKey } from '../engine/queue/job';
import { integerOption, UsageError } from './args';
import { QUEUE_NAME, queueConnection } from './queue';

/** what a finished job returns to the coordinator */
interface JobResult {
  batch: number;
  results: { key: string; score: number }[];
}

export async function workerCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { queue: { type: 'string' }, threads: { type: 'string' }, concurrency: { type: 'string' } } });
  if (values.queue === undefined) throw new UsageError('worker needs --queue redis://HOST:PORT (or rediss://, with :password@ if the server asks for one)');
  const threads = integerOption(values.threads, 'threads', 1);
  const concurrency = integerOption(values.concurrency, 'concurrency', 1) ?? 1;
  const connection = queueConnection(values.queue);
  // loaded here, so the other commands do not pay for the native runtime
  const ort = await import('onnxruntime-node');
  const runtime = ortRuntime(ort, { threads });
  // one scorer per setting: it remembers the structures it measured and shares the draws
  const scorers = new Map<string, StructureScorer>();
  const worker = new Worker<{ text: string }, JobResult>(
    QUEUE_NAME,
    async (job) => {
      let read;
      try {
        read = readJob(job.data?.text);
      } catch (e) {
        // a job that cannot be read is failed with the reason, and never retried
        if (e instanceof ConfigError || e instanceof StructureError) throw new UnrecoverableError(e.message);
        throw e;
      }
      const settingsKey = JSON.stringify(read.settings);
      let score = scorers.get(settingsKey);
      if (!score) scorers.set(settingsKey, (score = entropyScorer(read.settings, runtime)));
      const scores = await score(read.structures);
      return { batch: read.batch, results: read.structures.map((s, i) => ({ key: resultKey(s, read.settings), score: scores[i] })) };
    },
    { connection, concurrency },
  );
  worker.on('error', (e) => process.stderr.write(`worker: ${e.message}\n`));
  await worker.waitUntilReady();
  process.stderr.write(`worker: serving ${QUEUE_NAME} on ${values.queue.replace(/\/\/[^@/]*@/, '//***@')} (${concurrency} at a time, ${runtime.provider})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => void worker.close().then(resolve);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await connection.quit();
}
