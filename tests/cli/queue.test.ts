// The distributed measured search (issue #18): a real redis-server, real coordinator and worker
// processes. Whatever happens on the way — two workers, a worker killed with SIGKILL, the
// coordinator killed and resumed, Redis restarted empty — the run ends with exactly the result of
// the same config and seed measured on one machine: the same population (scores to the last
// bit), the same history, the same count of children.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readRunFile, type RunFile } from '../../app/engine/runFile';
import { QUEUE_NAME, queueConnection, scoringWorker } from '../../app/cli/queue';
import { cli, expectOneErrorLine } from './cliProcess';
import { startRedis, type RedisServer } from './redisServer';

/** a few seconds of forward passes on one core: long enough to break things in the middle */
const SEARCH = ['--preset', 'detection-r50', '--score', 'entropy', '--iterations', '64', '--resolution', '192', '--children-per-call', '4', '--seed', '7'];

const dir = mkdtempSync(join(tmpdir(), 'maedet-queue-'));
let single: RunFile;
let redis: RedisServer | undefined;
const processes: ChildProcess[] = [];

interface Running {
  process: ChildProcess;
  log: () => string;
  exit: Promise<number | null>;
}

function start(args: string[]): Running {
  // a TLS server's self-signed certificate is trusted the way a user trusts theirs
  const env = { ...process.env, ...(redis?.caFile && { NODE_EXTRA_CA_CERTS: redis.caFile }) };
  const child = spawn(process.execPath, ['app/cli/run.mjs', 'app/cli/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  processes.push(child);
  let log = '';
  child.stdout!.on('data', (d) => (log += String(d)));
  child.stderr!.on('data', (d) => (log += String(d)));
  return { process: child, log: () => log, exit: new Promise((resolve) => child.once('exit', resolve)) };
}

async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** a worker, once it serves (one at a time: each process bundles the CLI as it starts) */
async function startWorker(url: string): Promise<Running> {
  const worker = start(['worker', '--queue', url, '--threads', '1']);
  await until('the worker to serve', () => worker.log().includes('worker: serving') || worker.process.exitCode !== null);
  expect(worker.log()).toContain('worker: serving');
  return worker;
}

/** the journal's scoring calls so far (its header is the first line) */
const CALLS = 1 + 64 / 4;
const journalCalls = (out: string) => (existsSync(join(out, 'journal.jsonl')) ? readFileSync(join(out, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).length - 1 : 0);

const runOf = (out: string) => readRunFile(readFileSync(join(out, 'run.json'), 'utf8'));

function expectSameResult(run: RunFile): void {
  expect(run.evaluated).toBe(single.evaluated);
  expect(run.population).toEqual(single.population);
  expect(run.history).toEqual(single.history);
  expect(run.scoring!.scored).toBe(single.scoring!.scored);
}

/** `look` at the queue, on a connection of its own */
async function inQueue<T>(url: string, look: (queue: Queue) => Promise<T>): Promise<T> {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUE_NAME, { connection });
  try {
    return await look(queue);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** the workers (host:pid) holding the queue's active jobs */
const activeJobsOf = (url: string) => inQueue(url, async (queue) => (await queue.getJobs(['active'], 0, -1)).map((j) => j.processedBy));

/** this run's jobs in Redis: every one completed, each scored once */
const jobsOf = (url: string) =>
  inQueue(url, async (queue) => {
    const completed = await queue.getJobs(['completed'], 0, -1);
    return { completed: completed.length, attempts: completed.map((j) => j.attemptsMade), counts: await queue.getJobCounts('waiting', 'active', 'failed', 'delayed') };
  });

beforeAll(() => {
  const r = cli('search', ...SEARCH, '--threads', '1', '--out', join(dir, 'single'));
  expect(r.status).toBe(0);
  single = runOf(join(dir, 'single'));
  expect(single.scoring).toMatchObject({ provider: expect.stringMatching(/^onnxruntime-node [\d.]+, cpu, 1 thread$/), replayed: 0 });
}, 120_000);

afterEach(async () => {
  for (const p of processes.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  await redis?.stop();
  redis = undefined;
});

afterAll(async () => {
  for (const p of processes) if (p.exitCode === null) p.kill('SIGKILL');
  await redis?.stop();
});

describe('the measured search on a queue', () => {
  it('a coordinator and 2 workers give the single-machine result; the run file records the queue', async () => {
    redis = await startRedis();
    const workers = [await startWorker(redis.url), await startWorker(redis.url)];
    const out = join(dir, 'two');
    const coordinator = start(['search', ...SEARCH, '--queue', redis.url, '--out', out]);
    expect(await coordinator.exit).toBe(0);
    const run = runOf(out);
    expectSameResult(run);
    const jobs = await jobsOf(redis.url);
    expect(run.scoring!.queue).toEqual({ url: redis.url, jobs: jobs.completed, jobSize: 2, workers: 2, peakWorkers: 2, failedAttempts: 0, stalledJobs: 0, resentJobs: 0 });
    expect(jobs.attempts.every((a) => a === 1)).toBe(true);
    expect(run.scoring!.provider).toBe(`BullMQ queue ${QUEUE_NAME} on ${redis.url}, workers on onnxruntime-node (cpu)`);
    expect(coordinator.log()).toMatch(/workers 2 · jobs \d+ waiting, \d+ active, \d+ done, 0 failed/);
    expect(JSON.parse(coordinator.log().trim().split('\n').at(-1)!)).toMatchObject({ evaluated: 64, bestScore: single.population[0].score, workers: 2 });
    for (const w of workers) w.process.kill('SIGTERM');
    expect(await Promise.all(workers.map((w) => w.exit))).toEqual([0, 0]);
  }, 180_000);

  it('a worker killed with SIGKILL mid-run loses nothing: its job is recovered as stalled and scored by the other', async () => {
    redis = await startRedis();
    const [victim, survivor] = [await startWorker(redis.url), await startWorker(redis.url)];
    const out = join(dir, 'sigkill');
    const coordinator = start(['search', ...SEARCH, '--queue', redis.url, '--out', out]);
    // killed while it holds a job (each job keeps the name, host:pid, of the worker that took it)
    await until('the victim to hold a job after a few calls', async () => journalCalls(out) >= 3 && (await activeJobsOf(redis!.url)).some((by) => by?.endsWith(`:${victim.process.pid}`)));
    victim.process.kill('SIGKILL');
    expect(journalCalls(out)).toBeLessThan(CALLS);
    expect(await coordinator.exit).toBe(0);
    expectSameResult(runOf(out));
    // the killed worker held a job: it came back as stalled, and was scored by the survivor
    expect(runOf(out).scoring!.queue).toMatchObject({ stalledJobs: 1, failedAttempts: 0, resentJobs: 0 });
    expect(coordinator.log()).toContain('1 taken back from lost workers');
    const jobs = await jobsOf(redis.url);
    expect(jobs.counts).toEqual({ waiting: 0, active: 0, failed: 0, delayed: 0 });
    expect(runOf(out).scoring!.queue!.jobs).toBe(jobs.completed);
    expect(survivor.process.exitCode).toBe(null);
  }, 180_000);

  it('the coordinator killed and resumed reaches the same result, measuring nothing twice', async () => {
    redis = await startRedis();
    await startWorker(redis.url);
    await startWorker(redis.url);
    const out = join(dir, 'resume');
    const first = start(['search', ...SEARCH, '--queue', redis.url, '--out', out]);
    await until('a few scoring calls', () => journalCalls(out) >= 6);
    first.process.kill('SIGKILL');
    await first.exit;
    const journaled = journalCalls(out);
    expect(journaled).toBeLessThan(CALLS);
    const resumed = start(['search', '--resume', out, '--queue', redis.url]);
    expect(await resumed.exit).toBe(0);
    expect(resumed.log()).toContain(`resuming ${out}: ${journaled} scoring calls in its journal`);
    const run = runOf(out);
    expectSameResult(run);
    expect(run.scoring!.replayed).toBe(journaled);
    // its rate counts this session's children only: those of the replayed calls took no time
    const summary = JSON.parse(resumed.log().trim().split('\n').at(-1)!);
    expect(summary.replayedChildren).toBe(Math.min(64, (journaled - 1) * 4));
    expect(summary.childrenPerSecond).toBeCloseTo((64 - summary.replayedChildren) / summary.seconds, 6);
    // the jobs both lives sent have one id each: none was sent as a new job, none scored twice
    const jobs = await jobsOf(redis.url);
    expect(jobs.attempts.every((a) => a === 1)).toBe(true);
    expect(jobs.counts.failed).toBe(0);
  }, 180_000);

  it('Redis restarted empty mid-run: coordinator and workers reconnect, lost jobs are sent again, same result', async () => {
    redis = await startRedis();
    await startWorker(redis.url);
    await startWorker(redis.url);
    const out = join(dir, 'restart');
    const coordinator = start(['search', ...SEARCH, '--queue', redis.url, '--out', out]);
    await until('a few scoring calls', () => journalCalls(out) >= 4);
    await redis.restart();
    expect(journalCalls(out)).toBeLessThan(CALLS);
    expect(await coordinator.exit).toBe(0);
    expectSameResult(runOf(out));
    expect(runOf(out).scoring!.queue!.resentJobs).toBeGreaterThan(0);
  }, 180_000);

  it('a job that fails on every attempt stops the run, naming the job and the reason; --resume then completes it', async () => {
    redis = await startRedis();
    // a worker whose every forward pass fails, as one out of memory would
    const connection = queueConnection(redis.url);
    const broken = scoringWorker(connection, {
      concurrency: 1,
      scoreJob: async () => {
        throw new Error('out of memory (simulated)');
      },
    });
    await broken.waitUntilReady();
    const out = join(dir, 'failing');
    const first = start(['search', ...SEARCH, '--queue', redis.url, '--out', out]);
    expect(await first.exit).toBe(1);
    expect(first.log().trim().split('\n').at(-1)).toMatch(/^error: job [\w-]+-0-0 failed 5 times; the last reason: out of memory \(simulated\)$/);
    await broken.close();
    connection.disconnect();
    await startWorker(redis.url);
    const resumed = start(['search', '--resume', out, '--queue', redis.url]);
    expect(await resumed.exit).toBe(0);
    expectSameResult(runOf(out));
  }, 120_000);

  it('a password in the URL works, and is never written out; a coordinator without workers says how to start one, and goes on when one comes', async () => {
    redis = await startRedis({ password: 's3cret' });
    const out = join(dir, 'password');
    // a wrong password, or none, is said at once, before anything is written
    expectOneErrorLine(cli('search', ...SEARCH, '--queue', redis.url.replace('s3cret', 'wrong'), '--out', out), 1, 'refused the connection: WRONGPASS');
    expectOneErrorLine(cli('worker', '--queue', redis.url.replace(':s3cret@', '')), 1, 'refused the connection: NOAUTH');
    expect(existsSync(out)).toBe(false);
    const coordinator = start(['search', ...SEARCH, '--iterations', '8', '--queue', redis.url, '--out', out]);
    await until('the hint', () => coordinator.log().includes('no worker is serving the queue yet'), 30_000);
    expect(coordinator.log()).toContain(`npm run --silent cli -- worker --queue ${redis.url.replace(':s3cret@', '***@')}`);
    await startWorker(redis.url);
    expect(await coordinator.exit).toBe(0);
    const run = runOf(out);
    expect(run.scoring!.queue!.url).toMatch(/^redis:\/\/\*\*\*@127\.0\.0\.1:\d+$/);
    expect(readFileSync(join(out, 'run.json'), 'utf8')).not.toContain('s3cret');
    expect(coordinator.log()).not.toContain('s3cret');
  }, 120_000);

  it('rediss:// (TLS) with a password works: a worker and the coordinator over TLS give the same result', async () => {
    redis = await startRedis({ tls: true, password: 'tls-s3cret' });
    expect(redis.url).toMatch(/^rediss:\/\//);
    await startWorker(redis.url);
    const out = join(dir, 'tls');
    const coordinator = start(['search', ...SEARCH, '--queue', redis.url, '--out', out]);
    expect(await coordinator.exit).toBe(0);
    expectSameResult(runOf(out));
    expect(runOf(out).scoring!.queue!.url).toMatch(/^rediss:\/\/\*\*\*@127\.0\.0\.1:\d+$/);
  }, 120_000);

  it('a queue that cannot be reached is an error after 10 s, not a hang', () => {
    const started = Date.now();
    expectOneErrorLine(cli('worker', '--queue', 'redis://127.0.0.1:1'), 1, 'cannot reach the queue at redis://127.0.0.1:1 (connect ECONNREFUSED 127.0.0.1:1): is redis-server running there');
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('usage: --resume of a directory without a journal, options that --resume fixes, a bad queue URL', () => {
    expectOneErrorLine(cli('search', '--resume', join(dir, 'nothing-here')), 2, 'journal.jsonl does not exist');
    expectOneErrorLine(cli('search', '--resume', join(dir, 'single'), '--seed', '3'), 2, '--resume continues the run its directory holds, with its config and backend; drop --seed');
    expectOneErrorLine(cli('search', ...SEARCH, '--queue', 'http://localhost:6379'), 2, '--queue: found "http://localhost:6379", expected redis://HOST:PORT or rediss://HOST:PORT');
    expectOneErrorLine(cli('search', '--preset', 'detection-r50', '--queue', 'redis://127.0.0.1:1'), 2, 'set the measured entropy; use them with --score entropy');
    expectOneErrorLine(cli('search', ...SEARCH, '--out', join(dir, 'single')), 2, 'holds a measured run; continue it with --resume');
  });
});
