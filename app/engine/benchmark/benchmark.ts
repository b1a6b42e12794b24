/**
 * A benchmark: networks that were really trained, each with its structure and accuracy, read
 * from a studio benchmark file (`maedet-studio-benchmark`, version 1) or built from NAS-Bench-Macro.
 * Every problem of a file is reported with the network (index and id) and the field.
 */
import type { Structure } from '../block';
import { convMacs } from '../latency/ops';
import { params as structureParams, stageCount } from '../cost';
import { ConfigError, describeValue, StructureError } from '../errors';
import { upgrade, type FormatVersions } from '../migrate';
import { toPyValue } from '../pyliteral';
import { readStructure } from '../structure';

export const BENCHMARK_FORMAT = 'maedet-studio-benchmark';
const BENCHMARK_VERSION = 1;
export const BENCHMARK_VERSIONS: FormatVersions = { name: 'benchmark', current: BENCHMARK_VERSION, steps: {} };

/** Bounds that keep a file's work finite: the view stays responsive at the upper end. */
const BENCHMARK_LIMITS = { networks: 100_000, nameLength: 200, idLength: 200, imageSize: 4096 } as const;

interface BenchmarkNetwork {
  id: string;
  structure: Structure;
  /** trained accuracy (%, or whatever unit the file uses; only its order matters to the statistics) */
  accuracy: number;
  /** the file's count, else the engine's: conv weights + BN γ, β */
  params: number;
  /** the file's count, else the engine's conv multiply–accumulates at the image size */
  flops: number;
}

export interface Benchmark {
  name: string;
  /** the square input side the networks were trained at (FLOPs and DeepMAD's feature maps use it) */
  imageSize: number;
  /** the score's stage weights, one per stage of every network */
  ratio: number[];
  networks: BenchmarkNetwork[];
  /** where the data comes from, its license and how to cite it (shown beside it) */
  source?: { citation: string; license: string; url: string };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function finiteNumber(v: unknown, path: string, what: string, positive: boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (positive && v <= 0)) throw new ConfigError(path, `found ${describeValue(v)}, expected ${what}`);
  return v;
}

/** one network of a file, checked; `where` names it in every message */
function readNetwork(raw: unknown, index: number, file: { imageSize: number; ratio: readonly number[] }): BenchmarkNetwork {
  const at = `networks[${index}]`;
  if (!isRecord(raw)) throw new ConfigError(at, `found ${describeValue(raw)}, expected a network: {"id", "structure", "accuracy", "params"?, "flops"?}`);
  const rawId = raw.id;
  if (!(typeof rawId === 'string' && rawId.length > 0 && rawId.length <= BENCHMARK_LIMITS.idLength) && !(typeof rawId === 'number' && Number.isFinite(rawId))) {
    throw new ConfigError(`${at}.id`, `found ${describeValue(rawId)}, expected a name (a string of 1 to ${BENCHMARK_LIMITS.idLength} characters, or a number)`);
  }
  const id = String(rawId);
  const where = `${at} (id ${JSON.stringify(id)})`;
  for (const key of Object.keys(raw)) {
    if (!['id', 'structure', 'accuracy', 'params', 'flops'].includes(key)) throw new ConfigError(`${where}.${key}`, 'unknown field; expected id, structure, accuracy, params, flops');
  }
  let structure: Structure;
  try {
    structure = readStructure(toPyValue(raw.structure));
  } catch (e) {
    if (e instanceof StructureError || e instanceof ConfigError || e instanceof RangeError) throw new ConfigError(`${where}.structure`, e.message);
    throw e;
  }
  const stages = stageCount(structure);
  if (stages !== file.ratio.length) {
    throw new ConfigError(`${where}.structure`, `has ${stages} stages (stride-2 blocks after the stem, plus one) but "ratio" has ${file.ratio.length} weights; expected ${file.ratio.length} stages`);
  }
  let flops: number;
  try {
    flops = raw.flops === undefined ? convMacs(structure, file.imageSize) : finiteNumber(raw.flops, `${where}.flops`, 'a positive number of FLOPs', true);
  } catch (e) {
    if (e instanceof StructureError) throw new ConfigError(`${where}.structure`, `${e.message} (imageSize ${file.imageSize})`);
    throw e;
  }
  return {
    id,
    structure,
    accuracy: finiteNumber(raw.accuracy, `${where}.accuracy`, 'the trained accuracy, a finite number', false),
    params: raw.params === undefined ? structureParams(structure) : finiteNumber(raw.params, `${where}.params`, 'a positive number of parameters', true),
    flops,
  };
}

/** Read a studio benchmark file (its text); throws a ConfigError naming the field. */
export function parseBenchmark(text: string): Benchmark {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError('file', `not JSON (${(e as Error).message}); expected a ${BENCHMARK_FORMAT} file`);
  }
  return readBenchmark(value);
}

function readBenchmark(value: unknown): Benchmark {
  if (!isRecord(value) || value.format !== BENCHMARK_FORMAT) {
    throw new ConfigError('format', `found ${describeValue(isRecord(value) ? value.format : value)}: this is not a MAE-DET Studio benchmark file (expected "format": "${BENCHMARK_FORMAT}")`);
  }
  const record = upgrade(BENCHMARK_VERSIONS, value);
  for (const key of Object.keys(record)) {
    if (!['format', 'version', 'name', 'imageSize', 'ratio', 'networks'].includes(key)) throw new ConfigError(key, 'unknown field; expected format, version, name, imageSize, ratio, networks');
  }
  const { name, imageSize, ratio, networks } = record;
  if (typeof name !== 'string' || name.length === 0 || name.length > BENCHMARK_LIMITS.nameLength) throw new ConfigError('name', `found ${describeValue(name)}, expected a name of 1 to ${BENCHMARK_LIMITS.nameLength} characters`);
  if (typeof imageSize !== 'number' || !Number.isInteger(imageSize) || imageSize < 1 || imageSize > BENCHMARK_LIMITS.imageSize) {
    throw new ConfigError('imageSize', `found ${describeValue(imageSize)}, expected the input side in pixels, an integer from 1 to ${BENCHMARK_LIMITS.imageSize}`);
  }
  if (!Array.isArray(ratio) || ratio.length === 0 || ratio.length > 16) throw new ConfigError('ratio', `found ${describeValue(ratio)}, expected one stage weight per stage (a list of 1 to 16 numbers)`);
  ratio.forEach((r, i) => {
    if (typeof r !== 'number' || !Number.isFinite(r) || r < 0) throw new ConfigError(`ratio[${i}]`, `found ${describeValue(r)}, expected a weight ≥ 0`);
  });
  if (!Array.isArray(networks) || networks.length < 2 || networks.length > BENCHMARK_LIMITS.networks) {
    throw new ConfigError('networks', `found ${describeValue(networks)}, expected a list of 2 to ${BENCHMARK_LIMITS.networks.toLocaleString('en-US')} networks`);
  }
  const file = { imageSize, ratio: ratio as number[] };
  const seen = new Map<string, number>();
  const read = networks.map((raw, i) => {
    const network = readNetwork(raw, i, file);
    const earlier = seen.get(network.id);
    if (earlier !== undefined) throw new ConfigError(`networks[${i}].id`, `found ${JSON.stringify(network.id)} again (networks[${earlier}] has it); expected every id once`);
    seen.set(network.id, i);
    return network;
  });
  return { name, imageSize, ratio: [...file.ratio], networks: read };
}

/** A benchmark as a studio benchmark file (what `parseBenchmark` reads back). */
export function benchmarkFile(benchmark: Benchmark): string {
  const networks = benchmark.networks.map((n) => JSON.stringify({ id: n.id, structure: n.structure, accuracy: n.accuracy, params: n.params, flops: n.flops }));
  const head = { format: BENCHMARK_FORMAT, version: BENCHMARK_VERSION, name: benchmark.name, imageSize: benchmark.imageSize, ratio: benchmark.ratio };
  return `${JSON.stringify(head).slice(0, -1)},"networks":[\n${networks.join(',\n')}\n]}\n`;
}
