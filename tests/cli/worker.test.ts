// `cli worker` (issue #18, the worker): a real redis-server, a real worker process, jobs added
// through BullMQ. A job's scores equal the measured entropy computed here on onnxruntime-node; a
// malformed or hostile job is failed with its reason, not retried, and the worker goes on
// serving; SIGTERM ends it cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entropyScorer } from '../../app/engine/evolution/entropyScorer';
import { ortRuntime } from '../../app/engine/onnx/ortRuntime';
import { jobText, readJob, resultKey } from '../../app/engine/queue/job';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { QUEUE_NAME } from '../../app/cli/queue';
import { startRedis, type RedisServer } from './redisServer';

const settings = { batch: 1, resolution: 64, repeats: 1, bn: false, relu: false, seed: 3, ratio: [0, 0, 1, 1, 6] };
const seed = findReferenceNetwork('r50_det_seed')!.structure;
const maedetS = findReferenceNetwork('maedet_s')!.structure;

let redis: RedisServer;
let worker: ChildProcess;
let workerLog = '';
let queue: Queue;
let events: QueueEvents;
const connections: Redis[] = [];
const connection = () => {
  const c = new Redis(redis.url, { maxRetriesPerRequest: null });
  connections.push(c);
  return c;
};

beforeAll(async () => {
  redis = await startRedis();
  worker = spawn(process.execPath, ['app/cli/run.mjs', 'app/cli/main.ts', 'worker', '--queue', redis.url, '--threads', '1', '--concurrency', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
  worker.stderr!.on('data', (d) => (workerLog += String(d)));
  queue = new Queue(QUEUE_NAME, { connection: connection() });
  events = new QueueEvents(QUEUE_NAME, { connection: connection() });
  await events.waitUntilReady();
  const ready = Date.now() + 60_000;
  while (!workerLog.includes('worker: serving')) {
    if (Date.now() > ready || worker.exitCode !== null) throw new Error(`the worker did not start: ${workerLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 90_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await queue?.close();
  await events?.close();
  for (const c of connections) c.disconnect();
  await redis?.stop();
});

describe('cli worker', () => {
  it('scores a job as the measured entropy here does, keyed by structure and settings', async () => {
    const job = await queue.add('score', { text: jobText({ batch: 4, backend: 'cpu', settings, structures: [seed, maedetS] }) });
    const result = await job.waitUntilFinished(events, 60_000);
    const read = readJob(jobText({ batch: 4, backend: 'cpu', settings, structures: [seed, maedetS] }));
    const expected = await entropyScorer(read.settings, ortRuntime(ortNode))([seed, maedetS]);
    expect(result).toEqual({ batch: 4, results: [{ key: resultKey(seed, read.settings, 'cpu'), score: expected[0] }, { key: resultKey(maedetS, read.settings, 'cpu'), score: expected[1] }], worker: expect.stringMatching(/^.+:\d+$/) });
  }, 60_000);

  it("scores wasm jobs on onnxruntime-web's wasm backend, the studio's bits — two at once (--concurrency 2) taking turns", async () => {
    const texts = [jobText({ batch: 5, backend: 'wasm', settings, structures: [maedetS, seed] }), jobText({ batch: 6, backend: 'wasm', settings, structures: [seed, maedetS] })];
    const jobs = await Promise.all(texts.map((text) => queue.add('score', { text })));
    const results = (await Promise.all(jobs.map((job) => job.waitUntilFinished(events, 60_000)))) as { results: { key: string; score: number }[] }[];
    const read = readJob(texts[0]);
    const [onS, onSeed] = await entropyScorer(read.settings, ortRuntime(ortWeb, { threads: 1 }))([maedetS, seed]);
    expect(results.map((r) => r.results)).toEqual([
      [
        { key: resultKey(maedetS, read.settings, 'wasm'), score: onS },
        { key: resultKey(seed, read.settings, 'wasm'), score: onSeed },
      ],
      [
        { key: resultKey(seed, read.settings, 'wasm'), score: onSeed },
        { key: resultKey(maedetS, read.settings, 'wasm'), score: onS },
      ],
    ]);
  }, 60_000);

  it('fails a malformed or hostile job with its reason, without retrying, and keeps serving', async () => {
    const hostile = JSON.parse(jobText({ batch: 0, backend: 'cpu', settings, structures: [seed] }));
    hostile.structures[0][1].class = 'os.system';
    const bad = await queue.add('score', { text: JSON.stringify(hostile) }, { attempts: 3 });
    await expect(bad.waitUntilFinished(events, 30_000)).rejects.toThrow("structures[0]: block 1, key 'class': found \"os.system\"");
    expect((await queue.getJob(bad.id!))!.attemptsMade).toBe(1);
    const notText = await queue.add('score', { text: { structures: 'x'.repeat(10) } } as unknown as { text: string });
    await expect(notText.waitUntilFinished(events, 30_000)).rejects.toThrow("job: found a dict, expected the job's JSON text");
    const after = await queue.add('score', { text: jobText({ batch: 9, backend: 'cpu', settings, structures: [seed] }) });
    expect(((await after.waitUntilFinished(events, 60_000)) as { batch: number }).batch).toBe(9);
  }, 90_000);

  it('ends on SIGTERM, with status 0', async () => {
    const exited = new Promise<number | null>((resolve) => worker.once('exit', resolve));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
