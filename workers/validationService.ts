/**
 * The validation service behind the validation worker (comlink): a benchmark of trained networks
 * read or fetched here, so a file of 20,000 networks never holds the page; every proxy's values,
 * rank correlations, picks and regret over the engine; the measured entropy on onnxruntime-web.
 * The benchmark loaded last is kept, and every other call is about it.
 */
import * as Comlink from 'comlink';
import { benchmarkFile, parseBenchmark, type Benchmark } from '../app/engine/benchmark/benchmark';
import { benchmarkSearch } from '../app/engine/benchmark/benchmarkSearch';
import { isNasBenchMacro, nasBenchMacro } from '../app/engine/benchmark/nasBenchMacro';
import { ANALYTIC_PROXIES, budgetLadder, DEFAULT_BOOTSTRAP, measuredEntropyValues, proxyLabel, proxyStatsPaused, proxyValues, rankStats, regretAt, type ProxyName } from '../app/engine/benchmark/validation';
import type { OnnxRuntime } from '../app/engine/entropy';
import { ConfigError, integerSetting } from '../app/engine/errors';
import type { LoadedBenchmark, OnValidationProgress, ProxyColumn, ValidationWorkerApi } from './validationApi';
import { yieldToMessages } from './yieldToMessages';

/** networks measured per scoring call; a Cancel gets in between calls */
const ENTROPY_BATCH = 32;

/** what the service needs from its host: NAS-Bench-Macro's JSON, and a runtime for the measured entropy */
export interface ValidationHost {
  /** the shipped NAS-Bench-Macro file, parsed */
  macroFile(): Promise<unknown>;
  runtime(): Promise<OnnxRuntime>;
}

/** One load or measurement: ended by `cancel(kind)` or the next of its kind. */
class Task {
  aborted = false;

  constructor(private readonly onProgress: OnValidationProgress | undefined) {}

  /** say what comes next and let a Cancel in (a step is a few hundred ms at most); false once cancelled */
  async step(phase: string, done: number, total: number): Promise<boolean> {
    this.onProgress?.({ phase, done, total });
    await yieldToMessages();
    return !this.aborted;
  }
}

/** the benchmark in use, and the proxy values the statistics are taken from */
interface Loaded {
  benchmark: Benchmark;
  accuracy: number[];
  ladder: number[];
  values: Map<ProxyName, number[]>;
}

/** a proxy's column: τ-b, ρ and the top pick (the regret at an unlimited budget), and its regret ladder */
function proxyColumn(loaded: Loaded, name: ProxyName, values: number[]): ProxyColumn {
  const { benchmark, ladder } = loaded;
  return {
    name,
    values: Float64Array.from(values),
    stats: rankStats(benchmark, values),
    regret: ladder.map((budget) => regretAt(benchmark, values, budget)),
  };
}

export function createValidationService(host: ValidationHost): ValidationWorkerApi {
  let loaded: Loaded | null = null;
  let loading: Task | null = null;
  let measuring: Task | null = null;
  let resampling: Task | null = null;
  const current = () => {
    if (!loaded) throw new Error('no benchmark is loaded');
    return loaded;
  };

  return {
    async load(request, onProgress) {
      if (loading) loading.aborted = true;
      const task = (loading = new Task(onProgress));
      const total = 1 + ANALYTIC_PROXIES.length;
      let benchmark: Benchmark;
      if (request.kind === 'nas-bench-macro') {
        if (!(await task.step('downloading NAS-Bench-Macro', 0, total))) return null;
        benchmark = nasBenchMacro(await host.macroFile());
      } else {
        if (!(await task.step('reading the file', 0, total))) return null;
        benchmark = parseBenchmark(request.text);
      }
      const next: Loaded = { benchmark, accuracy: benchmark.networks.map((n) => n.accuracy), ladder: budgetLadder(benchmark), values: new Map() };
      const proxies: ProxyColumn[] = [];
      for (const [i, name] of ANALYTIC_PROXIES.entries()) {
        if (!(await task.step(`computing ${proxyLabel(name)}`, 1 + i, total))) return null;
        const values = proxyValues(benchmark, name);
        next.values.set(name, values);
        proxies.push(proxyColumn(next, name, values));
      }
      if (task.aborted) return null;
      // the measurement and bootstrap in progress were of the benchmark this one replaces
      if (measuring) measuring.aborted = true;
      if (resampling) resampling.aborted = true;
      loaded = next;
      const { networks } = benchmark;
      const result: LoadedBenchmark = {
        kind: request.kind,
        name: benchmark.name,
        imageSize: benchmark.imageSize,
        ratio: benchmark.ratio,
        source: benchmark.source ?? null,
        searchable: isNasBenchMacro(benchmark),
        ids: networks.map((n) => n.id),
        accuracy: Float64Array.from(next.accuracy),
        flops: Float64Array.from(networks, (n) => n.flops),
        params: Float64Array.from(networks, (n) => n.params),
        ladder: next.ladder,
        proxies,
      };
      return Comlink.transfer(result, [result.accuracy.buffer, result.flops.buffer, result.params.buffer, ...proxies.map((p) => p.values.buffer)]);
    },

    async intervals(proxy, onProgress) {
      const { benchmark, values } = current();
      const column = values.get(proxy);
      if (!column) throw new Error(`${proxyLabel(proxy)} has no values yet${proxy === 'entropy' ? ': measure it first' : ''}`);
      if (resampling) resampling.aborted = true;
      const task = (resampling = new Task(onProgress));
      return proxyStatsPaused(benchmark, column, DEFAULT_BOOTSTRAP, (done, total) => task.step(`bootstrap of ${proxyLabel(proxy)}`, done, total));
    },

    async measureEntropy(onProgress) {
      const of = current();
      if (measuring) measuring.aborted = true;
      const task = (measuring = new Task(onProgress));
      const { networks } = of.benchmark;
      const phase = 'measuring entropy';
      // the first report comes once the runtime is up, so the page times the networks alone
      const runtime = await host.runtime();
      if (!(await task.step(phase, 0, networks.length))) return null;
      let values: number[];
      try {
        values = await measuredEntropyValues(of.benchmark, runtime, {
          batch: ENTROPY_BATCH,
          signal: task,
          onProgress: (done, total) => onProgress?.({ phase, done, total }),
          yield: yieldToMessages,
        });
      } catch (e) {
        if ((e as Error).name === 'AbortError') return null;
        throw e;
      }
      of.values.set('entropy', values);
      const column = proxyColumn(of, 'entropy', values);
      return Comlink.transfer(column, [column.values.buffer]);
    },

    cancel(what) {
      const task = what === 'load' ? loading : what === 'entropy' ? measuring : resampling;
      if (task) task.aborted = true;
    },

    async network(index) {
      const { networks } = current().benchmark;
      const i = integerSetting(index, 'index', 0, networks.length - 1);
      return { index: i, id: networks[i].id, structure: networks[i].structure };
    },

    async search({ objective, flopsBudget }) {
      const { benchmark } = current();
      if (!isNasBenchMacro(benchmark)) throw new ConfigError('benchmark', `${benchmark.name} is not all of NAS-Bench-Macro: the search looks every network it finds up by its code, so it runs on the whole benchmark only`);
      return { objective, flopsBudget, ...benchmarkSearch(benchmark, { objective, flopsBudget }) };
    },

    async benchmarkFile() {
      return benchmarkFile(current().benchmark);
    },
  };
}
