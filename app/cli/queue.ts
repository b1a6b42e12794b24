/**
 * The distributed measured search's queue (BullMQ on Redis), both ends: the scoring worker that
 * `cli worker` runs, and the coordinator's scorer that `cli search --queue` measures through.
 * A batch (one scoring call of the search) is cut into jobs of a few structures; the jobs' ids
 * are the run's id, the batch and the part, so a job sent twice (a resumed coordinator, a Redis
 * that lost it) is the same job, and a batch's scores are merged in the order sent, never in the
 * order they arrive.
 */
import { hostname } from 'node:os';
import { Queue, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { NodeBackend, ResolvedEntropySettings } from '../engine/entropy';
import { ConfigError, StructureError } from '../engine/errors';
import type { ScorerHost } from '../engine/evolution/driver';
import { batchJobs, jobScores, jobText, readJob, resultKey, type EntropyJob, type JobResult } from '../engine/queue/job';
import { UsageError } from './args';

export const QUEUE_NAME = 'maedet-studio-entropy';

/**
 * A Redis connection for BullMQ from `redis://[:password@]HOST:PORT[/db]` or `rediss://…` (TLS).
 * Requests wait for a reconnect instead of failing (BullMQ's workers need that), so a Redis
 * restart is ridden out.
 */
export function queueConnection(url: string): Redis {
  return new Redis(checkQueueUrl(url), { maxRetriesPerRequest: null });
}

/** how long a command waits for the queue at its start before it gives up, saying why */
const CONNECT_WAIT_MS = 10_000;

/**
 * A connection that is up: the server answered within CONNECT_WAIT_MS, and took the password. A
 * wrong host or password is an error at once (or after the wait), not a silent hang; once up,
 * outages are ridden out.
 */
export async function connectQueue(url: string): Promise<Redis> {
  const redis = queueConnection(url);
  try {
    await new Promise<void>((resolve, reject) => {
      let lastError = '';
      const timer = setTimeout(() => reject(new Error(`cannot reach the queue at ${redactedUrl(url)}${lastError ? ` (${lastError})` : ''}: is redis-server running there, and reachable from here?`)), CONNECT_WAIT_MS);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
      redis.on('error', (e) => {
        lastError = e.message;
        // a refused password does not get better by trying again
        if (!/WRONGPASS|NOAUTH|invalid password/i.test(e.message)) return;
        clearTimeout(timer);
        reject(new Error(`the queue at ${redactedUrl(url)} refused the connection: ${e.message}`));
      });
    });
  } catch (e) {
    redis.disconnect();
    throw e;
  } finally {
    redis.removeAllListeners('error');
  }
  return redis;
}

/** `--queue`'s URL, or a usage error saying what was expected */
export function checkQueueUrl(url: string): string {
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') throw new UsageError(`--queue: found ${JSON.stringify(url)}, expected redis://HOST:PORT or rediss://HOST:PORT`);
  return url;
}

/** the URL without its password, for logs and the run file */
export function redactedUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * How long a worker holds a job before another may take it: a worker renews its lock every half
 * of this, so a worker killed with SIGKILL has its job back in the queue within the lock and one
 * stall check (about 15 s).
 */
const LOCK_MS = 10_000;
const STALL_CHECK_MS = 5_000;

/**
 * A scoring worker on `connection`: each job is read through the job reader — one that cannot be
 * read fails with the reason and is never retried — and scored by `scoreJob`.
 */
export function scoringWorker(connection: Redis, options: { concurrency: number; scoreJob: (job: EntropyJob) => Promise<number[]> }): Worker<{ text: string }, JobResult> {
  const name = `${hostname()}:${process.pid}`;
  return new Worker<{ text: string }, JobResult>(
    QUEUE_NAME,
    async (job) => {
      let read: EntropyJob;
      try {
        read = readJob(job.data?.text);
      } catch (e) {
        if (e instanceof ConfigError || e instanceof StructureError) throw new UnrecoverableError(e.message);
        throw e;
      }
      const scores = await options.scoreJob(read);
      return { batch: read.batch, results: read.structures.map((s, i) => ({ key: resultKey(s, read.settings, read.backend), score: scores[i] })), worker: name };
    },
    // the name is kept on each job it takes (processedBy): who holds what can be seen in Redis
    { connection, name, concurrency: options.concurrency, lockDuration: LOCK_MS, stalledInterval: STALL_CHECK_MS, maxStalledCount: 3 },
  );
}

/** what the coordinator shows and records of the queue */
export interface QueueStatus {
  /** workers connected to the queue now, and the most seen at once */
  workers: number;
  peakWorkers: number;
  /** the queue's jobs (all runs'), as Redis counts them */
  waiting: number;
  active: number;
  /** this run's jobs: done, attempts that failed (and were tried again), jobs taken back from a worker that stopped answering, jobs sent again after Redis lost them */
  done: number;
  failed: number;
  stalled: number;
  resent: number;
  /** this run's jobs sent, and the workers that scored them (host:pid) */
  sent: number;
  scoredBy: string[];
}

interface PendingJob {
  id: string;
  job: EntropyJob;
  resolve: (scores: number[]) => void;
  reject: (e: Error) => void;
}

/** every job is tried this many times (a worker that fails, then another) before the run stops */
const ATTEMPTS = 5;
/** how often the coordinator checks its jobs in Redis, for the events a restart swallowed */
const SWEEP_MS = 1_000;
const NO_WORKERS_NOTICE_MS = 5_000;

/**
 * The coordinator's scorer: each call is a batch (numbered by the search's call index), sent as
 * jobs of at most `jobSize` structures, answered when all its jobs are done. Results come by event; a sweep every second also reads
 * each outstanding job's state, so a job whose event was missed is collected and a job that
 * Redis lost (a restart without persistence) is sent again.
 */
export async function queueScorer(options: {
  url: string;
  runId: string;
  backend: NodeBackend;
  settings: ResolvedEntropySettings;
  jobSize: number;
  /** a resumed run: a job its first life sent may be there, failed, and is tried afresh */
  resumed?: boolean;
  /** told once when no worker has served the queue for NO_WORKERS_NOTICE_MS (the progress bar moves only as calls finish) */
  onNoWorkers?: () => void;
}): Promise<ScorerHost & { status(): QueueStatus }> {
  const connection = await connectQueue(options.url);
  const queue = new Queue<{ text: string }, JobResult>(QUEUE_NAME, { connection });
  const eventsConnection = connection.duplicate();
  const events = new QueueEvents(QUEUE_NAME, { connection: eventsConnection });
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  const pending = new Map<string, PendingJob>();
  const counts: Omit<QueueStatus, 'scoredBy'> = { workers: 0, peakWorkers: 0, waiting: 0, active: 0, done: 0, failed: 0, stalled: 0, resent: 0, sent: 0 };
  const scoredBy = new Set<string>();

  const send = (p: PendingJob) =>
    queue.add('score', { text: jobText(p.job) }, { jobId: p.id, attempts: ATTEMPTS, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: { age: 24 * 3600, count: 2000 }, removeOnFail: { count: 1000 } });
  /** a job of this run's first life that failed for good (the reason it stopped) gets its attempts back */
  const retryFailed = async (id: string) => {
    if ((await queue.getJobState(id)) === 'failed') await (await queue.getJob(id))?.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  };
  const finish = (id: string, returnvalue: unknown) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    try {
      const result = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as Partial<JobResult> | undefined;
      const scores = jobScores(result, p.job);
      scoredBy.add(String(result?.worker));
      counts.done++;
      p.resolve(scores);
    } catch (e) {
      p.reject(new Error(`job ${id}: ${(e as Error).message}`));
    }
  };
  /** a job's state in Redis: collect it when done, fail the run when its attempts are spent, send it again when lost */
  const check = async (id: string) => {
    const state = await queue.getJobState(id);
    const p = pending.get(id);
    if (!p) return;
    if (state === 'completed') finish(id, (await queue.getJob(id))?.returnvalue);
    else if (state === 'failed') {
      pending.delete(id);
      const job = await queue.getJob(id);
      p.reject(new Error(`job ${id} failed ${job?.attemptsMade ?? ATTEMPTS} times; the last reason: ${job?.failedReason ?? 'unknown'}`));
    } else if (state === 'unknown') {
      counts.resent++;
      await send(p);
    }
  };
  events.on('completed', ({ jobId, returnvalue }) => finish(jobId, returnvalue));
  events.on('failed', ({ jobId }) => {
    if (!pending.has(jobId)) return;
    counts.failed++;
    void check(jobId).catch(() => {});
  });
  events.on('stalled', ({ jobId }) => {
    if (pending.has(jobId)) counts.stalled++;
  });
  const started = performance.now();
  let noticed = false;
  const count = async () => {
    const jobs = await queue.getJobCounts('waiting', 'active');
    counts.waiting = jobs.waiting ?? 0;
    counts.active = jobs.active ?? 0;
    counts.workers = await queue.getWorkersCount();
    counts.peakWorkers = Math.max(counts.peakWorkers, counts.workers);
    if (!noticed && counts.workers === 0 && performance.now() - started >= NO_WORKERS_NOTICE_MS) {
      noticed = true;
      options.onNoWorkers?.();
    }
  };
  await count();
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    void (async () => {
      for (const id of [...pending.keys()]) await check(id);
      await count();
    })()
      // Redis away: the next sweep tries again
      .catch(() => {})
      .finally(() => (sweeping = false));
  }, SWEEP_MS);

  return {
    provider: `BullMQ queue ${QUEUE_NAME} on ${redactedUrl(options.url)}, workers on ${options.backend === 'cpu' ? 'onnxruntime-node (cpu)' : 'onnxruntime-web (wasm)'}`,
    concurrent: true,
    async score(structures, index) {
      if (structures.length === 0) return [];
      const parts = batchJobs(structures, options.jobSize).map(
        (part, i) =>
          new Promise<number[]>((resolve, reject) => {
            const p: PendingJob = { id: `${options.runId}-${index}-${i}`, job: { batch: index, backend: options.backend, settings: options.settings, structures: part }, resolve, reject };
            pending.set(p.id, p);
            counts.sent++;
            send(p)
              .then(() => (options.resumed ? retryFailed(p.id) : undefined))
              .catch(reject);
          }),
      );
      return (await Promise.all(parts)).flat();
    },
    status: () => ({ ...counts, scoredBy: [...scoredBy].sort() }),
    dispose() {
      clearInterval(sweep);
      void Promise.allSettled([events.close(), queue.close()]).then(() => {
        eventsConnection.disconnect();
        connection.disconnect();
      });
    },
  };
}
