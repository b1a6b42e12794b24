/**
 * The saved-run format (`run.json`): versioned JSON holding the config, the final population with
 * scores and budget values, and the best-score history. Reading checks and migrates, so files
 * from older versions still load and corrupt files get a specific message.
 */
import type { RunConfig } from './config';
import { validateConfig } from './config';
import { ConfigError, describeValue } from './errors';
import { upgrade, type FormatVersions } from './migrate';
import type { MemberRecord } from './evolution/population';
import type { HistoryPoint } from './evolution/search';
import { toPyValue } from './pyliteral';
import { readStructure } from './structure';

const RUN_FORMAT = 'maedet-studio-run';
const RUN_VERSION = 2;

/**
 * the run file's versions: 1 is the first, 2 added `scoring` (absent from a version-1 file: a
 * measured run then said nothing of how it was measured); a file's config is migrated by the
 * config's own chain
 */
export const RUN_VERSIONS: FormatVersions = { name: 'run file', current: RUN_VERSION, steps: { 1: (run) => run } };

/** how a measured-entropy run's children were measured (an analytic run has none) */
export interface RunScoring {
  /** the runtime, or the queue and its workers' runtime */
  provider: string;
  /** children measured, the seed included */
  scored: number;
  /** scoring calls read back from the journal when the run was resumed (0 for a run never stopped) */
  replayed: number;
  /** a run measured on a queue's workers */
  queue?: {
    url: string;
    /** jobs this run sent, structures per job */
    jobs: number;
    jobSize: number;
    /** workers that scored this run's jobs, and the most connected at once */
    workers: number;
    peakWorkers: number;
    /** job attempts that failed and were tried again; jobs taken back from workers that stopped answering (killed); jobs sent again because Redis lost them (a restart) */
    failedAttempts: number;
    stalledJobs: number;
    resentJobs: number;
  };
}

export interface RunFile {
  format: typeof RUN_FORMAT;
  version: typeof RUN_VERSION;
  createdAt: string;
  config: RunConfig;
  evaluated: number;
  seconds: number;
  /** best first */
  population: MemberRecord[];
  history: HistoryPoint[];
  scoring?: RunScoring;
}

export function makeRunFile(config: RunConfig, outcome: { evaluated: number; seconds: number; population: MemberRecord[]; history: HistoryPoint[]; scoring?: RunScoring }, createdAt = new Date()): RunFile {
  const { evaluated, seconds, population, history, scoring } = outcome;
  return { format: RUN_FORMAT, version: RUN_VERSION, createdAt: createdAt.toISOString(), config, evaluated, seconds, population, history, ...(scoring && { scoring }) };
}

function readScoring(value: unknown): RunScoring {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError('scoring', `found ${describeValue(value)}, expected how the run was measured`);
  const r = value as Record<string, unknown>;
  if (typeof r.provider !== 'string') throw new ConfigError('scoring.provider', `found ${describeValue(r.provider)}, expected the runtime's name`);
  const scoring: RunScoring = { provider: r.provider, scored: finite(r.scored, 'scoring.scored'), replayed: finite(r.replayed, 'scoring.replayed') };
  if (r.queue === undefined) return scoring;
  const q = (typeof r.queue === 'object' && r.queue !== null ? r.queue : {}) as Record<string, unknown>;
  if (typeof q.url !== 'string') throw new ConfigError('scoring.queue.url', `found ${describeValue(q.url)}, expected the queue's URL`);
  const count = (key: string) => finite(q[key], `scoring.queue.${key}`);
  return { ...scoring, queue: { url: q.url, jobs: count('jobs'), jobSize: count('jobSize'), workers: count('workers'), peakWorkers: count('peakWorkers'), failedAttempts: count('failedAttempts'), stalledJobs: count('stalledJobs'), resentJobs: count('resentJobs') } };
}

function finite(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(path, `found ${describeValue(v)}, expected a number`);
  return v;
}

/** Parse and check a run file; older versions are migrated. */
export function readRunFile(text: string): RunFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError('run', `not a JSON run file (${(e as Error).message})`);
  }
  return readRun(raw);
}

/** Check a run as parsed (a file's JSON, or an autosave's record); older versions are migrated. */
export function readRun(raw: unknown): RunFile {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError('run', `found ${describeValue(raw)}, expected a run object`);
  const record = raw as Record<string, unknown>;
  if (record.format !== RUN_FORMAT) throw new ConfigError('format', `found ${describeValue(record.format)}, expected "${RUN_FORMAT}"`);
  const o = upgrade(RUN_VERSIONS, record);
  if (!Array.isArray(o.population)) throw new ConfigError('population', `found ${describeValue(o.population)}, expected a list of members`);
  if (!Array.isArray(o.history)) throw new ConfigError('history', `found ${describeValue(o.history)}, expected a list of points`);
  const population = o.population.map((m, i): MemberRecord => {
    const path = `population[${i}]`;
    if (typeof m !== 'object' || m === null) throw new ConfigError(path, `found ${describeValue(m)}, expected a member object`);
    const r = m as Record<string, unknown>;
    let structure;
    try {
      structure = readStructure(toPyValue(r.structure));
    } catch (e) {
      throw new ConfigError(`${path}.structure`, (e as Error).message);
    }
    return { structure, score: finite(r.score, `${path}.score`), flops: finite(r.flops, `${path}.flops`), params: finite(r.params, `${path}.params`), layers: finite(r.layers, `${path}.layers`) };
  });
  const history = o.history.map((h, i): HistoryPoint => {
    const p = (h ?? {}) as Record<string, unknown>;
    return { evaluated: finite(p.evaluated, `history[${i}].evaluated`), best: finite(p.best, `history[${i}].best`), median: finite(p.median, `history[${i}].median`) };
  });
  return {
    format: RUN_FORMAT,
    version: RUN_VERSION,
    createdAt: typeof o.createdAt === 'string' ? o.createdAt : '',
    config: validateConfig(o.config),
    evaluated: finite(o.evaluated, 'evaluated'),
    seconds: finite(o.seconds, 'seconds'),
    population,
    history,
    ...(o.scoring !== undefined && { scoring: readScoring(o.scoring) }),
  };
}
