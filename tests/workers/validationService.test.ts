// The validation service (workers/validationService.ts) in Node, as the validation worker runs it:
// NAS-Bench-Macro and a user's file loaded, every analytic proxy's statistics as the engine gives
// them, the bootstrap per proxy, a bad file refused with the reader's message (the loaded
// benchmark kept), cancellation, the measured entropy on onnxruntime-web's wasm backend in chunks
// (the same values as in one call), the search, the file written back; and once through comlink
// over a MessageChannel, as the page calls it, with the columns arriving as Float64Arrays.
import { readFileSync } from 'node:fs';
import * as Comlink from 'comlink';
import * as ortWeb from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { benchmarkFile, parseBenchmark, type Benchmark } from '../../app/engine/benchmark/benchmark';
import { nasBenchMacro } from '../../app/engine/benchmark/nasBenchMacro';
import { ANALYTIC_PROXIES, budgetLadder, DEFAULT_BOOTSTRAP, measuredEntropyValues, proxyStats, proxyValues, regretAt } from '../../app/engine/benchmark/validation';
import { ortRuntime } from '../../app/engine/onnx/ortRuntime';
import type { ValidationProgress } from '../../workers/validationApi';
import { connectValidationWorker, validationWorker } from '../../workers/validationClient';
import { createValidationService, type ValidationHost } from '../../workers/validationService';

const MACRO_PATH = 'public/data/nas-bench-macro/nas-bench-macro_cifar10.json';
let macro: Benchmark;
/** every 131st network of NAS-Bench-Macro: 50 networks of all sizes */
let small: Benchmark;

const host: ValidationHost = {
  macroFile: async () => JSON.parse(readFileSync(MACRO_PATH, 'utf8')),
  runtime: async () => ortRuntime(ortWeb, { threads: 1 }),
};

beforeAll(() => {
  macro = nasBenchMacro(JSON.parse(readFileSync(MACRO_PATH, 'utf8')));
  small = { ...macro, name: 'fifty', source: undefined, networks: macro.networks.filter((_, i) => i % 131 === 0).slice(0, 50) };
});

describe('load', () => {
  it('loads NAS-Bench-Macro with every analytic proxy: values, τ-b, ρ and top pick as the engine computes them, and the regret ladder', async () => {
    const progress: ValidationProgress[] = [];
    const loaded = (await createValidationService(host).load({ kind: 'nas-bench-macro' }, (p) => progress.push(p)))!;
    expect(loaded.kind).toBe('nas-bench-macro');
    expect(loaded.name).toBe(macro.name);
    expect(loaded.ratio).toEqual([0, 0, 0, 1]);
    expect(loaded.source?.license).toContain('Apache');
    expect(loaded.searchable).toBe(true);
    expect(loaded.ids).toHaveLength(6561);
    expect(loaded.accuracy).toBeInstanceOf(Float64Array);
    expect([...loaded.flops]).toEqual(macro.networks.map((n) => n.flops));
    expect(loaded.ladder).toEqual(budgetLadder(macro));
    expect(loaded.proxies.map((p) => p.name)).toEqual(ANALYTIC_PROXIES);
    const flops = loaded.proxies.find((p) => p.name === 'flops')!;
    const values = proxyValues(macro, 'flops');
    expect([...flops.values]).toEqual(values);
    const full = proxyStats(macro, values, { resamples: 1, seed: 0 });
    expect(flops.stats).toEqual({ kendall: full.kendall, spearman: full.spearman, top: full.top });
    expect(flops.regret).toEqual(budgetLadder(macro).map((b) => regretAt(macro, values, b)));
    expect(progress.map((p) => p.phase)).toEqual(['downloading NAS-Bench-Macro', 'computing madnas', 'computing deepmad', 'computing FLOPs', 'computing params']);
  });

  it('computes a proxy’s bootstrap intervals as the CLI does', async () => {
    const service = createValidationService(host);
    await service.load({ kind: 'file', text: benchmarkFile(small) });
    expect(await service.intervals('madnas')).toEqual(proxyStats(small, proxyValues(small, 'madnas'), DEFAULT_BOOTSTRAP));
    await expect(service.intervals('entropy')).rejects.toThrow('entropy has no values yet: measure it first');
  });

  it('refuses a bad file with the reader’s message naming the network and field, and keeps the benchmark loaded', async () => {
    const service = createValidationService(host);
    const loaded = (await service.load({ kind: 'file', text: benchmarkFile(small) }))!;
    expect(loaded).toMatchObject({ kind: 'file', name: 'fifty', source: null, searchable: false });
    const bad = JSON.parse(benchmarkFile(small));
    bad.networks[3].accuracy = 'high';
    await expect(service.load({ kind: 'file', text: JSON.stringify(bad) })).rejects.toThrow(`networks[3] (id "${small.networks[3].id}").accuracy: found "high", expected the trained accuracy, a finite number`);
    expect((await service.network(3)).id).toBe(small.networks[3].id);
    await expect(service.network(50)).rejects.toThrow('index: found 50, expected an integer from 0 to 49');
  });

  it('a cancelled load, or one a newer load replaced, resolves to null', async () => {
    const service = createValidationService(host);
    const cancelled = service.load({ kind: 'nas-bench-macro' });
    service.cancel('load');
    expect(await cancelled).toBeNull();
    const replaced = service.load({ kind: 'nas-bench-macro' });
    const newer = service.load({ kind: 'file', text: benchmarkFile(small) });
    expect(await replaced).toBeNull();
    expect((await newer)!.ids).toHaveLength(50);
    await expect(service.benchmarkFile().then((text) => parseBenchmark(text).networks.map((n) => n.id))).resolves.toEqual(small.networks.map((n) => n.id));
  });
});

describe('measured entropy', () => {
  it('measures every network in chunks, with the values of one call, and ranks them', async () => {
    const forty = { ...small, networks: small.networks.slice(0, 40) };
    const service = createValidationService(host);
    await service.load({ kind: 'file', text: benchmarkFile(forty) });
    const progress: number[] = [];
    const column = (await service.measureEntropy((p) => progress.push(p.done)))!;
    const expected = await measuredEntropyValues(forty, await host.runtime());
    expect([...column.values]).toEqual(expected);
    expect(column.stats.kendall).toBe(proxyStats(forty, expected, { resamples: 1, seed: 0 }).kendall);
    expect(progress).toEqual([0, 32, 40]);
    expect((await service.intervals('entropy'))!.kendallInterval).not.toBeNull();
  }, 120_000);

  it('the bootstrap reports its resamples, equals the engine, and stops on cancel', async () => {
    const service = createValidationService(host);
    const loaded = (await service.load({ kind: 'file', text: benchmarkFile(small) }))!;
    const done: number[] = [];
    const stats = await service.intervals('madnas', (p) => done.push(p.done));
    expect(stats).toEqual(proxyStats(small, [...loaded.proxies.find((p) => p.name === 'madnas')!.values], DEFAULT_BOOTSTRAP));
    expect(done.at(-1)).toBe(2 * DEFAULT_BOOTSTRAP.resamples);
    const cancelled = service.intervals('flops', () => service.cancel('intervals'));
    expect(await cancelled).toBeNull();
  }, 60_000);

  it('stops when cancelled, and when another benchmark is loaded', async () => {
    // each network's session waits for a timer, so the load below ends while the measurement runs
    const slow: ValidationHost = {
      ...host,
      async runtime() {
        const runtime = await host.runtime();
        return { ...runtime, create: async (model) => (await new Promise((resolve) => setTimeout(resolve, 5)), runtime.create(model)) };
      },
    };
    const service = createValidationService(slow);
    await service.load({ kind: 'file', text: benchmarkFile(small) });
    const measuring = service.measureEntropy();
    service.cancel('entropy');
    expect(await measuring).toBeNull();
    const replaced = service.measureEntropy();
    await service.load({ kind: 'file', text: benchmarkFile(small) });
    expect(await replaced).toBeNull();
  }, 60_000);
});

describe('search', () => {
  it('searches NAS-Bench-Macro within a budget, one run per seed; other benchmarks are refused', async () => {
    const service = createValidationService(host);
    await service.load({ kind: 'file', text: benchmarkFile(small) });
    await expect(service.search({ objective: 'madnas', flopsBudget: 6e7 })).rejects.toThrow('fifty is not all of NAS-Bench-Macro');
    await service.load({ kind: 'nas-bench-macro' });
    const outcome = await service.search({ objective: 'madnas', flopsBudget: 6e7 });
    expect(outcome.objective).toBe('madnas');
    expect(outcome.runs).toHaveLength(10);
    for (const run of outcome.runs) {
      expect(run.found.flops).toBeLessThanOrEqual(6e7);
      expect(run.regret).toBeCloseTo(run.best.accuracy - run.found.accuracy, 12);
    }
  }, 60_000);
});

describe('through comlink', () => {
  it('the page’s handle reaches a connected service; progress and typed arrays cross', async () => {
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(createValidationService(host), port1);
    connectValidationWorker(port2);
    const progress: string[] = [];
    const loaded = (await validationWorker().load({ kind: 'file', text: benchmarkFile(small) }, Comlink.proxy((p: ValidationProgress) => void progress.push(p.phase))))!;
    expect(loaded.accuracy).toBeInstanceOf(Float64Array);
    expect(loaded.proxies[0].values).toBeInstanceOf(Float64Array);
    expect(progress[0]).toBe('reading the file');
    expect((await validationWorker().network(0)).structure).toEqual(small.networks[0].structure);
    await expect(validationWorker().network(-1)).rejects.toThrow('index: found -1');
    port1.close();
    port2.close();
  });
});
