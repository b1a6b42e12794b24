// The validation store as the validation view drives it, over the real validation service
// connected through comlink (a MessageChannel in Node): a user's file loaded with its point
// statistics, then the bootstrap's intervals proxy by proxy; a bad file refused with the reader's
// message while the benchmark shown stays; a network asked for by index; the bootstrap stopped
// and resumed; and the view's sentence, computed from whatever the numbers say.
import { readFileSync } from 'node:fs';
import * as Comlink from 'comlink';
import * as ortWeb from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { benchmarkFile, type Benchmark } from '../../app/engine/benchmark/benchmark';
import { nasBenchMacro } from '../../app/engine/benchmark/nasBenchMacro';
import { DEFAULT_BOOTSTRAP, proxyStats, proxyValues, type ProxyName } from '../../app/engine/benchmark/validation';
import { ortRuntime } from '../../app/engine/onnx/ortRuntime';
import { intervalsOf, shownProxies, useValidationStore, type ProxyEntry } from '../../app/ui/stores/validationStore';
import { verdict } from '../../app/ui/validate/verdict';
import { connectValidationWorker } from '../../workers/validationClient';
import { createValidationService } from '../../workers/validationService';

const MACRO_PATH = 'public/data/nas-bench-macro/nas-bench-macro_cifar10.json';
let small: Benchmark;
const store = () => useValidationStore.getState();

beforeAll(() => {
  const macro = nasBenchMacro(JSON.parse(readFileSync(MACRO_PATH, 'utf8')));
  small = { ...macro, name: 'fifty', source: undefined, networks: macro.networks.filter((_, i) => i % 131 === 0).slice(0, 50) };
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(createValidationService({ macroFile: async () => JSON.parse(readFileSync(MACRO_PATH, 'utf8')), runtime: async () => ortRuntime(ortWeb, { threads: 1 }) }), port1);
  connectValidationWorker(port2);
});

describe('the validation store', () => {
  it('loads a file, shows its point statistics, then fills in every proxy’s intervals', async () => {
    await store().loadFile('fifty.json', benchmarkFile(small));
    const { benchmark, proxies, loading, budgetIndex, bootstrap } = store();
    expect(loading).toBeNull();
    expect(bootstrap).toBeNull();
    expect(benchmark).toMatchObject({ kind: 'file', name: 'fifty', searchable: false });
    expect(benchmark!.ids).toEqual(small.networks.map((n) => n.id));
    expect(budgetIndex).toBe(Math.floor((benchmark!.ladder.length - 1) / 2));
    expect(Object.keys(proxies)).toEqual(['madnas', 'deepmad', 'flops', 'params']);
    for (const name of Object.keys(proxies) as ProxyName[]) expect(proxies[name]!.stats).toEqual(proxyStats(small, proxyValues(small, name), DEFAULT_BOOTSTRAP));
  });

  it('refuses a bad file with the reader’s message, naming the network, and keeps the benchmark shown', async () => {
    const before = store().benchmark;
    const bad = JSON.parse(benchmarkFile(small));
    bad.networks[7].accuracy = 'high';
    await store().loadFile('bad.json', JSON.stringify(bad));
    expect(store().loadError).toBe(`networks[7] (id "${small.networks[7].id}").accuracy: found "high", expected the trained accuracy, a finite number`);
    expect(store().benchmark).toBe(before);
    expect(store().loading).toBeNull();
  });

  it('shows a network asked for by index', async () => {
    await store().select(12);
    expect(store().selected).toEqual({ index: 12, detail: { index: 12, id: small.networks[12].id, structure: small.networks[12].structure } });
  });

  it('a cancelled bootstrap keeps what it computed; computing again fills in the rest', async () => {
    await store().loadFile('fifty.json', benchmarkFile(small));
    // a new load starts the bootstrap again, for the new benchmark; stop it after its first proxy
    const withIntervals = () => shownProxies(store().proxies).filter((p) => intervalsOf(p)).length;
    const loading = store().loadFile('fifty.json', benchmarkFile(small));
    await new Promise<void>((resolve) => {
      const stop = useValidationStore.subscribe((s) => {
        if (s.bootstrap?.done !== 1) return;
        stop();
        store().cancelIntervals();
        resolve();
      });
    });
    await loading;
    expect(store().bootstrap).toBeNull();
    expect(withIntervals()).toBeLessThan(4);
    await store().computeIntervals();
    expect(withIntervals()).toBe(4);
  });
});

describe('the sentence', () => {
  const entry = (name: ProxyName, kendall: number | null, interval?: [number, number]): ProxyEntry => ({
    name,
    values: new Float64Array(),
    regret: [],
    stats: interval
      ? { kendall, spearman: null, top: { id: 'a', ties: 1, accuracy: 0, percentile: 0 }, kendallInterval: { low: interval[0], high: interval[1] }, spearmanInterval: null }
      : { kendall, spearman: null, top: { id: 'a', ties: 1, accuracy: 0, percentile: 0 } },
  });

  it('says which of the score and FLOPs ranks better, by τ at three decimals', () => {
    expect(verdict([entry('madnas', 0.5226), entry('flops', 0.5561)])).toBe('On this benchmark FLOPs rank accuracy better than madnas (Kendall τ 0.556 vs 0.523).');
    expect(verdict([entry('madnas', 0.61), entry('flops', 0.5561)])).toBe('On this benchmark madnas ranks accuracy better than FLOPs (Kendall τ 0.610 vs 0.556).');
    expect(verdict([entry('madnas', 0.5561), entry('flops', 0.55612)])).toBe('On this benchmark madnas and FLOPs rank accuracy equally well (Kendall τ 0.556).');
  });

  it('says whether the intervals tell them apart, and names a better proxy than both', () => {
    expect(verdict([entry('madnas', 0.523, [0.51, 0.534]), entry('flops', 0.556, [0.545, 0.567])])).toContain('their 95 % intervals do not overlap');
    expect(verdict([entry('madnas', 0.523, [0.5, 0.55]), entry('flops', 0.556, [0.54, 0.57])])).toContain('their 95 % intervals overlap, so the gap may be chance');
    expect(verdict([entry('madnas', 0.5, undefined), entry('deepmad', 0.7), entry('flops', 0.6)])).toBe(
      'On this benchmark FLOPs rank accuracy better than madnas (Kendall τ 0.600 vs 0.500). The best of the 3 proxies here is deepmad (τ 0.700).',
    );
    expect(verdict([entry('madnas', null), entry('flops', 0.6)])).toBe('Kendall τ is undefined for madnas here: its values or the accuracies are all equal.');
  });
});
