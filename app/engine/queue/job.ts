/**
 * A scoring job of the distributed measured search: structures to measure with one entropy
 * setting, and the batch it belongs to (results merge by batch, never by arrival). A worker reads
 * every job through this reader — the structure reader for each structure, the settings' own
 * checks — so a malformed or hostile job fails with its reason instead of running; a job is
 * bounded in bytes and structures. Results are keyed by structure and settings, so a job
 * delivered twice scores nothing twice.
 */
import type { Structure } from '../block';
import { checkEntropySettings, NODE_BACKENDS, type EntropySettings, type NodeBackend, type ResolvedEntropySettings } from '../entropy';
import { ConfigError, describeValue, integerSetting, StructureError } from '../errors';
import { upgrade, type FormatVersions } from '../migrate';
import { toPyValue } from '../pyliteral';
import { readStructure, structureKey } from '../structure';

const JOB_FORMAT = 'maedet-studio-entropy-job';
const JOB_VERSION = 2;
/** version 2 added `backend` (version 1's workers measured on onnxruntime-node: cpu) */
const JOB_VERSIONS: FormatVersions = { name: 'scoring job', current: JOB_VERSION, steps: { 1: (job) => ({ ...job, backend: 'cpu' }) } };

/** what one job may hold: a few structures of a batch, well under a queue's message sizes */
export const JOB_LIMITS = { bytes: 1_000_000, structures: 64, batch: 2 ** 31 - 1 } as const;

export interface EntropyJob {
  /** the coordinator's batch index */
  batch: number;
  /** the runtime to measure on: results from two backends differ in their last bits */
  backend: NodeBackend;
  settings: ResolvedEntropySettings;
  structures: Structure[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Read a job's text; throws a ConfigError naming the field (`structures[2]: block 1, key 'k': …`). */
export function readJob(text: string): EntropyJob {
  if (typeof text !== 'string') throw new ConfigError('job', `found ${describeValue(text)}, expected the job's JSON text`);
  if (text.length > JOB_LIMITS.bytes) throw new ConfigError('job', `${text.length} characters, expected at most ${JOB_LIMITS.bytes}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError('job', `not JSON (${(e as Error).message})`);
  }
  if (!isRecord(value) || value.format !== JOB_FORMAT) throw new ConfigError('format', `found ${describeValue(isRecord(value) ? value.format : value)}, expected "${JOB_FORMAT}"`);
  const job = upgrade(JOB_VERSIONS, value);
  for (const key of Object.keys(job)) {
    if (!['format', 'version', 'batch', 'backend', 'settings', 'structures'].includes(key)) throw new ConfigError(key, 'unknown field; expected format, version, batch, backend, settings, structures');
  }
  const batch = integerSetting(job.batch, 'batch', 0, JOB_LIMITS.batch);
  const backend = job.backend as NodeBackend;
  if (!NODE_BACKENDS.includes(backend)) throw new ConfigError('backend', `found ${describeValue(job.backend)}, expected ${NODE_BACKENDS.map((b) => `"${b}"`).join(' or ')}`);
  if (!isRecord(job.settings)) throw new ConfigError('settings', `found ${describeValue(job.settings)}, expected the entropy settings`);
  let settings: ResolvedEntropySettings;
  try {
    settings = checkEntropySettings(job.settings as unknown as EntropySettings);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`settings.${e.path}`, e.reason);
    throw e;
  }
  const { structures } = job;
  if (!Array.isArray(structures) || structures.length === 0 || structures.length > JOB_LIMITS.structures) {
    throw new ConfigError('structures', `found ${describeValue(structures)}, expected a list of 1 to ${JOB_LIMITS.structures} structures`);
  }
  return {
    batch,
    backend,
    settings,
    structures: structures.map((raw, i) => {
      try {
        return readStructure(toPyValue(raw));
      } catch (e) {
        if (e instanceof StructureError || e instanceof ConfigError) throw new ConfigError(`structures[${i}]`, e.message);
        throw e;
      }
    }),
  };
}

/** A job's text, as `readJob` reads it back. */
export function jobText(job: { batch: number; backend: NodeBackend; settings: EntropySettings; structures: readonly Structure[] }): string {
  return JSON.stringify({ format: JOB_FORMAT, version: JOB_VERSION, batch: job.batch, backend: job.backend, settings: job.settings, structures: job.structures });
}

/** The key of a structure's result under settings on a backend: equal keys, equal scores (the measurement is seeded). */
export function resultKey(structure: Structure, settings: ResolvedEntropySettings, backend: NodeBackend): string {
  const { batch, resolution, repeats, bn, relu, seed, ratio, initStd } = settings;
  return `${JSON.stringify([backend, batch, resolution, repeats, bn, relu, seed, ratio, initStd])}|${structureKey(structure)}`;
}

/** what a worker returns for a job: its batch, a score per structure under its key, and who scored it */
export interface JobResult {
  batch: number;
  results: { key: string; score: number }[];
  /** the worker's name (host:pid), for the run's count of workers */
  worker: string;
}

/** A batch's structures cut into jobs of at most `size`, in order: the jobs' results concatenated are the batch's. */
export function batchJobs(structures: readonly Structure[], size: number): Structure[][] {
  const jobs: Structure[][] = [];
  for (let i = 0; i < structures.length; i += size) jobs.push(structures.slice(i, i + size));
  return jobs;
}

/**
 * A job's scores from a worker's result, checked against what was sent: the batch, one result
 * per structure, each under the structure's key, each a number. A result that does not answer
 * its job (another version's worker, a bug) is an error, never merged.
 */
export function jobScores(result: unknown, job: EntropyJob): number[] {
  const r = (typeof result === 'object' && result !== null ? result : {}) as Partial<JobResult>;
  if (r.batch !== job.batch) throw new ConfigError('result.batch', `found ${describeValue(r.batch)}, expected ${job.batch}`);
  if (!Array.isArray(r.results) || r.results.length !== job.structures.length) throw new ConfigError('result.results', `found ${describeValue(r.results)}, expected ${job.structures.length} results`);
  return job.structures.map((structure, i) => {
    const { key, score } = (r.results![i] ?? {}) as { key?: unknown; score?: unknown };
    if (key !== resultKey(structure, job.settings, job.backend)) throw new ConfigError(`result.results[${i}].key`, 'does not name the structure and settings sent');
    if (typeof score !== 'number') throw new ConfigError(`result.results[${i}].score`, `found ${describeValue(score)}, expected a number`);
    return score;
  });
}
