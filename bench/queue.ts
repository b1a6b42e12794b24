/**
 * `npm run bench -- --queue`: the measured-entropy search beyond one machine (issue #18), on a
 * redis-server started here (127.0.0.1, a free port, no persistence).
 * 1. Real: the CLI's coordinator and 1 or 2 `cli worker` processes (onnxruntime-node, 1 thread
 *    each, started for each run) on this machine, against the same search measured in one
 *    process — children/s.
 * 2. The queue's own cost: a job whose scoring takes no time, sent and answered one at a time
 *    (the round trip a job pays), and 256 at once.
 * 3. Simulated scale-out, clearly so: workers in this process whose scoring is replaced by a
 *    fixed delay per structure, 1 to 32 of them, each with its own Redis connection.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { presetConfig, type RunConfig } from '../app/engine/config';
import { checkEntropySettings } from '../app/engine/entropy';
import { entropySettingsOf } from '../app/engine/evolution/entropyScorer';
import { queueConnection, queueScorer, scoringWorker } from '../app/cli/queue';
import { nodeHosts, runSearch } from '../app/cli/runSearch';
import { startRedis } from '../tests/cli/redisServer';

type Table = (title: string, header: string[], rows: (string | number)[][]) => void;

/** onnxruntime-node's time per child of the default measured search here (224 px, batch 2, 1 thread: 11–12 children/s), the simulated workers' delay */
const SIMULATED_MS_PER_STRUCTURE = 90;
const CLI = ['app/cli/run.mjs', 'app/cli/main.ts'];

interface Summary {
  evaluated: number;
  seconds: number;
  childrenPerSecond: number;
}

function cliSearch(args: string[]): Summary {
  const out = mkdtempSync(join(tmpdir(), 'maedet-bench-queue-'));
  const r = spawnSync(process.execPath, [...CLI, 'search', '--preset', 'detection-r50', '--score', 'entropy', ...args, '--out', join(out, 'run')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`search failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Summary;
}

async function startWorkers(url: string, count: number) {
  const workers: ChildProcess[] = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, [...CLI, 'worker', '--queue', url, '--threads', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.on('data', (d) => (log += String(d)));
    while (!log.includes('worker: serving')) {
      if (child.exitCode !== null) throw new Error(`a worker did not start: ${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    workers.push(child);
  }
  return {
    stop: () => Promise.all(workers.map((w) => new Promise((resolve) => (w.once('exit', resolve), w.kill('SIGTERM'))))),
  };
}

const spread = (values: number[], digits: number) => `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;

export async function queueBench(table: Table, median: (v: number[]) => number, quick: boolean): Promise<void> {
  const redis = await startRedis();
  try {
    await realWorkers(redis.url, table, median, quick);
    await overhead(redis.url, table, median);
    await scaleOut(redis.url, table, quick);
  } finally {
    await redis.stop();
  }
}

async function realWorkers(url: string, table: Table, median: (v: number[]) => number, quick: boolean) {
  const children = quick ? 24 : 48;
  const seeds = quick ? [1] : [1, 2, 3];
  // every run as a new user meets it: a fresh coordinator, and workers started for it
  const rate = async (args: string[], workers = 0) => {
    const rates: number[] = [];
    for (const seed of seeds) {
      const fleet = workers > 0 ? await startWorkers(url, workers) : undefined;
      rates.push(cliSearch(['--iterations', String(children), '--seed', String(seed), ...args]).childrenPerSecond);
      await fleet?.stop();
    }
    return rates;
  };
  const rows: (string | number)[][] = [];
  const add = (what: string, rates: number[], base?: number) => rows.push([what, median(rates).toFixed(2), spread(rates, 2), base === undefined ? '1.00×' : `${(median(rates) / base).toFixed(2)}×`]);
  const one = await rate(['--threads', '1']);
  add('one process, onnxruntime-node, 1 thread (no queue)', one);
  const base = median(one);
  add('one process, onnxruntime-node, 2 threads (no queue)', await rate(['--threads', '2']), base);
  for (const count of [1, 2]) add(`coordinator + ${count} worker${count > 1 ? 's' : ''} (1 thread each) on the queue`, await rate(['--queue', url], count), base);
  table(
    `Measured search on this machine (2 cores): detection-r50, 224 px, batch 2, 1 repeat, ${children} children, 4 per call, 2 per job; median of ${seeds.length} seeds, each run in fresh processes (cold coordinator and workers)`,
    ['how', 'children/s', 'min–max', 'vs 1 thread'],
    rows,
  );
}

/** a measured config for the simulated runs: childrenPerCall sets how many structures are in flight */
function simulatedConfig(children: number, childrenPerCall: number): RunConfig {
  const c = presetConfig('detection-r50');
  c.search = { ...c.search, numRandomNets: children, seed: 1 };
  c.score = { ...c.score, type: 'entropy', entropy: { ...c.score.entropy, childrenPerCall } };
  return c;
}

/** `count` workers in this process whose scoring is a delay (or nothing) */
async function simulatedWorkers(url: string, count: number, msPerStructure: number) {
  const connections = Array.from({ length: count }, () => queueConnection(url));
  const workers = connections.map((connection) =>
    scoringWorker(connection, {
      concurrency: 1,
      scoreJob: async (job) => {
        if (msPerStructure > 0) await new Promise((r) => setTimeout(r, msPerStructure * job.structures.length));
        return job.structures.map(() => 0);
      },
    }),
  );
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  return {
    async stop() {
      await Promise.all(workers.map((w) => w.close()));
      for (const c of connections) c.disconnect();
    },
  };
}

async function overhead(url: string, table: Table, median: (v: number[]) => number) {
  const workers = await simulatedWorkers(url, 1, 0);
  const config = simulatedConfig(1, 1);
  const structure = config.model.structure;
  const scorer = await queueScorer({ url, runId: randomUUID(), backend: 'cpu', settings: checkEntropySettings(entropySettingsOf(config)), jobSize: 1 });
  try {
    for (let i = 0; i < 20; i++) await scorer.score([structure], i);
    const trips: number[] = [];
    for (let i = 20; i < 520; i++) {
      const start = performance.now();
      await scorer.score([structure], i);
      trips.push(performance.now() - start);
    }
    trips.sort((a, b) => a - b);
    const start = performance.now();
    await Promise.all(Array.from({ length: 256 }, (_, i) => scorer.score([structure], 1000 + i)));
    const burst = (performance.now() - start) / 256;
    table(
      'The queue\u2019s cost per job (a job of 1 structure whose scoring takes no time; 1 worker in this process, Redis on 127.0.0.1)',
      ['what', 'ms per job', 'spread'],
      [
        ['one at a time: send → worker → result (500 jobs)', median(trips).toFixed(2), `p10 ${trips[50].toFixed(2)}, p90 ${trips[450].toFixed(2)}`],
        ['256 at once', burst.toFixed(2), '—'],
      ],
    );
  } finally {
    scorer.dispose();
    await workers.stop();
  }
}

async function scaleOut(url: string, table: Table, quick: boolean) {
  const rows: (string | number)[][] = [];
  let one = 0;
  const rateOf = async (children: number, childrenPerCall: number) => {
    const hosts = {
      ...nodeHosts(),
      startScorer: (c: RunConfig) => queueScorer({ url, runId: randomUUID(), backend: 'cpu' as const, settings: checkEntropySettings(entropySettingsOf(c)), jobSize: 2 }),
    };
    const outcome = await runSearch(simulatedConfig(children, childrenPerCall), () => {}, hosts);
    return outcome.evaluated / outcome.seconds;
  };
  for (const count of quick ? [1, 4, 32] : [1, 2, 4, 8, 16, 32]) {
    const workers = await simulatedWorkers(url, count, SIMULATED_MS_PER_STRUCTURE);
    const children = Math.max(128, 64 * count);
    const rate = await rateOf(children, 64);
    const atDefault = await rateOf(128, 4);
    await workers.stop();
    if (count === 1) one = rate;
    const ideal = (1000 / SIMULATED_MS_PER_STRUCTURE) * count;
    rows.push([count, children, rate.toFixed(1), ideal.toFixed(1), `${(rate / one).toFixed(2)}×`, `${((100 * rate) / ideal).toFixed(0)} %`, atDefault.toFixed(1)]);
  }
  table(
    `SIMULATED scale-out: workers whose scoring is a fixed ${SIMULATED_MS_PER_STRUCTURE} ms per structure (no forward pass), in this process; the real coordinator, queue and Redis; 64 children per call (last column: the default 4, 128 children), 2 structures per job`,
    ['workers', 'children', 'children/s', 'ideal', 'speed-up', 'efficiency', 'children/s at 4 per call'],
    rows,
  );
}
