/**
 * `cli search`: a search from a preset or a config file, to `--out DIR`.
 *
 * A measured-entropy search (`--score entropy`) measures on this machine (`--backend cpu|wasm`)
 * or, with `--queue redis://…`, on the workers of a BullMQ queue (`cli worker`); either way it
 * writes its journal (DIR/journal.jsonl: the config, then each scoring call's scores) as it goes,
 * and `--resume DIR` continues a killed run from it — the calls it holds are read back, not
 * measured again — to the result the run would have reached.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { presetConfig, validateConfig, type RunConfig } from '../engine/config';
import { CONFIG_FIELDS, expectation, type ConfigField, type FieldPath } from '../engine/configFields';
import type { NodeBackend } from '../engine/entropy';
import type { ScorerHost, SearchHosts } from '../engine/evolution/driver';
import { entropySettingsOf } from '../engine/evolution/entropyScorer';
import { journaledScorer, journalEntryLine, journalHeaderLine, readJournal, type JournalEntry } from '../engine/evolution/scoreJournal';
import { JOB_LIMITS } from '../engine/queue/job';
import { findReferenceNetwork } from '../engine/referenceNetworks';
import { makeRunFile, type RunScoring } from '../engine/runFile';
import { isMeasured } from '../engine/scores';
import { parseStructure, toTinyNAS } from '../engine/structure';
import { checkEntropySettings } from '../engine/entropy';
import { fieldOption, integerOption, readText, UsageError } from './args';
import { makeProgressBar } from './format';
import { loadProfile } from './latencyCommand';
import { checkQueueUrl, connectQueue, queueScorer, redactedUrl, type QueueStatus } from './queue';
import { nodeHosts, runSearch } from './runSearch';
import { backendOption } from './runtimes';

/** the search options that set a config field, from the field table (--iterations, --seed, …) */
export const FIELD_OPTIONS = (Object.entries(CONFIG_FIELDS) as [FieldPath, ConfigField][]).flatMap(([path, field]) => (field.cli ? [{ path, field, name: field.cli }] : []));

/** an option's line in the usage text: its values and the field it sets */
export function optionUsage({ name, field }: (typeof FIELD_OPTIONS)[number]): string {
  const values = field.kind === 'choice' ? field.choices.join('|') : field.kind === 'number' ? (field.integer ? 'N' : 'X') : '';
  const flag = `--${name} ${values}`.padEnd(34);
  const unit = field.kind === 'number' && field.unit ? ` (${field.unit})` : '';
  return `               ${flag}${field.label}${unit}: ${expectation(field)}`;
}

/** structures per queue job unless --job-size says otherwise */
const DEFAULT_JOB_SIZE = 2;
const JOURNAL = 'journal.jsonl';

function loadSeedStructure(from: string) {
  const net = findReferenceNetwork(from);
  return net ? { seedName: net.name, structure: net.structure } : { seedName: null, structure: parseStructure(readText(from)) };
}

/** a copy of `raw` with `value` at a dotted path */
function withValue(raw: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [key, ...rest] = path.split('.');
  if (rest.length === 0) return { ...raw, [key]: value };
  const inner = raw[key];
  return { ...raw, [key]: withValue(typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>) : {}, rest.join('.'), value) };
}

type Values = Record<string, string | undefined>;

/** the config of a new run: the preset or file, then the options */
function newConfig(values: Values): RunConfig {
  if ((values.preset === undefined) === (values.config === undefined)) throw new UsageError('search needs exactly one of --preset NAME or --config FILE (or --resume DIR)');
  let raw: Record<string, unknown>;
  if (values.preset !== undefined) raw = { ...presetConfig(values.preset) };
  else {
    try {
      raw = JSON.parse(readText(values.config!));
    } catch (e) {
      if (e instanceof SyntaxError) throw new Error(`${values.config} is not valid JSON: ${e.message}`, { cause: e });
      throw e;
    }
  }
  const measuredOnly = [...FIELD_OPTIONS.filter((o) => o.path.startsWith('score.entropy.')).map((o) => o.name), 'threads', 'backend', 'queue', 'job-size'];
  const score = values.score ?? (raw.score as { type?: unknown } | undefined)?.type;
  if (score !== 'entropy' && measuredOnly.some((name) => values[name] !== undefined)) {
    const flags = measuredOnly.map((n) => `--${n}`);
    throw new UsageError(`${flags.slice(0, -1).join(', ')} and ${flags[flags.length - 1]} set the measured entropy; use them with --score entropy`);
  }
  for (const { path, field, name } of FIELD_OPTIONS) if (values[name] !== undefined) raw = withValue(raw, path, fieldOption(values[name]!, name, field));
  if (values.from !== undefined) raw = { ...raw, model: loadSeedStructure(values.from) };
  if (values.profile !== undefined) raw = { ...raw, latencyProfile: loadProfile(values.profile) };
  return validateConfig(raw);
}

/** a measured run's journal in `dir`: the one there (resuming) or a new one */
function openJournal(dir: string, resume: boolean, header: () => { runId: string; config: RunConfig; backend: NodeBackend }) {
  const path = join(dir, JOURNAL);
  if (resume) {
    if (!existsSync(path)) throw new UsageError(`--resume: ${path} does not exist; expected the directory of a measured search (--score entropy) started with --out`);
    try {
      return { path, ...readJournal(readText(path)) };
    } catch (e) {
      throw new Error(`${path}: ${(e as Error).message}`, { cause: e });
    }
  }
  if (existsSync(path)) throw new UsageError(`${path} exists: that directory holds a measured run; continue it with --resume ${dir}, or choose another --out`);
  mkdirSync(dir, { recursive: true });
  const h = header();
  writeFileSync(path, journalHeaderLine(h));
  return { path, header: h, entries: new Map<number, JournalEntry>() };
}

export async function searchCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      preset: { type: 'string' },
      config: { type: 'string' },
      from: { type: 'string' },
      out: { type: 'string' },
      threads: { type: 'string' },
      profile: { type: 'string' },
      backend: { type: 'string' },
      queue: { type: 'string' },
      'job-size': { type: 'string' },
      resume: { type: 'string' },
      ...Object.fromEntries(FIELD_OPTIONS.map((o) => [o.name, { type: 'string' as const }])),
    },
  });
  const given = values as Values;
  if (positionals.length > 0) throw new UsageError(`search takes no positional arguments (found ${JSON.stringify(positionals[0])})`);
  const resume = values.resume;
  if (resume !== undefined) {
    const fixed = ['preset', 'config', 'from', 'profile', 'backend', 'out', ...FIELD_OPTIONS.map((o) => o.name)].filter((name) => given[name] !== undefined);
    if (fixed.length > 0) throw new UsageError(`--resume continues the run its directory holds, with its config and backend; drop ${fixed.map((n) => `--${n}`).join(', ')}`);
  }
  const threads = integerOption(values.threads, 'threads', 1);
  const jobSize = integerOption(values['job-size'], 'job-size', 1) ?? DEFAULT_JOB_SIZE;
  if (jobSize > JOB_LIMITS.structures) throw new UsageError(`--job-size: found ${jobSize}, expected at most ${JOB_LIMITS.structures} structures a job`);
  if (values.queue !== undefined) checkQueueUrl(values.queue);
  const backend = backendOption(values.backend);

  const config = resume === undefined ? newConfig(given) : undefined;
  const outDir = resume ?? values.out ?? join('runs', `${values.preset ?? 'config'}-seed${config!.search.seed}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  // a queue that cannot be reached, or refuses the password, is said before anything is written
  if (values.queue !== undefined) (await connectQueue(values.queue)).disconnect();
  const measured = resume !== undefined || isMeasured(config!.score.type) ? measuredRun({ outDir, resume, config, backend, threads, queue: values.queue, jobSize }) : undefined;
  const runConfig = measured?.config ?? config!;

  const bar = makeProgressBar(process.stderr);
  const queueStatus = () => measured?.queueStatus();
  const outcome = await runSearch(
    runConfig,
    (p) => {
      const s = queueStatus();
      bar.update({ ...p, ...(measured && { resumedAt: measured.replayedChildren() }), ...(s && { detail: queueLine(s) }) });
    },
    measured?.hosts ?? nodeHosts({ threads, backend }),
  );
  bar.finish();
  mkdirSync(outDir, { recursive: true });
  const best = outcome.population.slice(0, runConfig.search.numNetwork);
  const status = queueStatus();
  const runScoring: RunScoring | undefined = outcome.scoring && {
    ...outcome.scoring,
    replayed: measured!.replayed(),
    ...(status && { queue: { url: redactedUrl(values.queue!), jobs: status.sent, jobSize, workers: status.scoredBy.length, peakWorkers: status.peakWorkers, failedAttempts: status.failed, stalledJobs: status.stalled, resentJobs: status.resent } }),
  };
  writeFileSync(join(outDir, 'best_structure.txt'), toTinyNAS(best.map((m) => m.structure)));
  writeFileSync(join(outDir, 'run.json'), `${JSON.stringify(makeRunFile(runConfig, { ...outcome, scoring: runScoring }), null, 1)}\n`);
  process.stderr.write(`wrote ${join(outDir, 'best_structure.txt')} and ${join(outDir, 'run.json')}\n`);
  const top = outcome.population[0];
  const replayedChildren = measured?.replayedChildren() ?? 0;
  const summary = {
    evaluated: outcome.evaluated,
    bestScore: top.score,
    bestFlops: top.flops,
    bestParams: top.params,
    bestLayers: top.layers,
    ...(top.latency !== undefined && { bestLatencyMs: top.latency }),
    seconds: outcome.seconds,
    // this session's: a resumed run's replayed children took no time
    childrenPerSecond: (outcome.evaluated - replayedChildren) / outcome.seconds,
    ...(measured && measured.replayed() > 0 && { replayedChildren }),
    workers: runScoring?.queue?.workers ?? runConfig.search.workers,
    outDir,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

/**
 * A measured search's hosts: its journal in `outDir` (new, or the one `--resume` continues) in
 * front of the scorer — this machine's runtime, or the queue's workers.
 */
function measuredRun(o: { outDir: string; resume?: string; config?: RunConfig; backend: NodeBackend; threads?: number; queue?: string; jobSize: number }) {
  const journal = openJournal(o.outDir, o.resume !== undefined, () => ({ runId: randomUUID(), config: o.config!, backend: o.backend }));
  const { config, backend, runId } = journal.header;
  const local = nodeHosts({ threads: o.threads, backend });
  let queue: Awaited<ReturnType<typeof queueScorer>> | undefined;
  let host: ScorerHost | undefined;
  const journaled = journaledScorer((structures, call) => host!.score(structures, call), journal.entries, (entry) => appendFileSync(journal.path, journalEntryLine(entry)));
  const url = o.queue;
  const hosts: SearchHosts = {
    ...local,
    async startScorer(c) {
      if (url === undefined) host = await local.startScorer!(c);
      else {
        host = queue = await queueScorer({
          url,
          runId,
          backend,
          settings: checkEntropySettings(entropySettingsOf(c)),
          jobSize: o.jobSize,
          resumed: o.resume !== undefined,
          onNoWorkers: () => process.stderr.write(`no worker is serving the queue yet: start one on each scoring machine with\n  npm run --silent cli -- worker --queue ${redactedUrl(url)}\n`),
        });
      }
      return { ...host, score: journaled.score };
    },
  };
  if (o.resume !== undefined) process.stderr.write(`resuming ${o.outDir}: ${journal.entries.size} scoring calls in its journal\n`);
  // the children the replayed calls stand for: every call after the seed's takes childrenPerCall, the last one what is left
  const replayedChildren = () => Math.min(config.search.numRandomNets, Math.max(0, journaled.replayed() - (journal.entries.has(0) ? 1 : 0)) * config.score.entropy.childrenPerCall);
  return { config, hosts, replayed: journaled.replayed, replayedChildren, queueStatus: () => queue?.status() };
}

function queueLine(s: QueueStatus): string {
  const recovered = s.stalled + s.resent > 0 ? `, ${s.stalled} taken back from lost workers, ${s.resent} sent again` : '';
  return `workers ${s.workers} · jobs ${s.waiting} waiting, ${s.active} active, ${s.done} done, ${s.failed} failed${recovered}`;
}
