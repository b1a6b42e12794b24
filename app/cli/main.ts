/**
 * `npm run --silent cli -- <command>`: the engine from a shell.
 *   evaluate FILE [--resolution R] [--ratio a,b,c,d,e] [--json]
 *   search (--preset NAME | --config FILE) [--from NET|FILE] [--out DIR] [--threads T]
 *          [--FIELD VALUE …: the config fields with a CLI name in engine/configFields.ts]
 *   export FILE --out PATH [--format onnx|pytorch|tinynas|json] [--head CLASSES] [--seed S]
 *   entropy FILE [--batch B] [--resolution R] [--repeats N] [--seed S] [--bn] [--relu] [--threads T] [--json]
 *   profile --out P.json [--resolution R] [--threads T] [--backend cpu|wasm] [--quick] [--preset NAME | --config FILE] [--resume P.json]
 *   latency FILE --profile P.json [--measure] [--json]
 *   worker --queue redis://HOST:PORT [--threads T] [--concurrency C]
 *   validate --bench nas-bench-macro|FILE [--score madnas,deepmad,entropy,flops,params] [--out scores.csv] [--resamples N] [--threads T] [--json]
 * Errors: one line on stderr, exit status 1 (2 for a usage error).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { presetConfig, PRESET_NAMES, validateConfig } from '../engine/config';
import { CONFIG_FIELDS, DETECTION_STAGE_WEIGHTS, expectation, type ConfigField, type FieldPath } from '../engine/configFields';
import { evaluateStructure } from '../engine/evaluate';
import { findReferenceNetwork, REFERENCE_NETWORK_NAMES } from '../engine/referenceNetworks';
import { makeRunFile } from '../engine/runFile';
import { parseStructure, toTinyNAS } from '../engine/structure';
import { fieldOption, integerOption, readText, UsageError } from './args';
import { entropyCommand } from './entropyCommand';
import { latencyCommand, loadProfile, profileCommand } from './latencyCommand';
import { exportCommand } from './exportCommand';
import { validateCommand } from './validateCommand';
import { workerCommand } from './workerCommand';
import { formatReport, makeProgressBar } from './format';
import { nodeHosts, runSearch } from './runSearch';

/** the search options that set a config field, from the field table (--iterations, --seed, …) */
const FIELD_OPTIONS = (Object.entries(CONFIG_FIELDS) as [FieldPath, ConfigField][]).flatMap(([path, field]) => (field.cli ? [{ path, field, name: field.cli }] : []));

/** an option's line in the usage text: its values and the field it sets */
function optionUsage({ name, field }: (typeof FIELD_OPTIONS)[number]): string {
  const values = field.kind === 'choice' ? field.choices.join('|') : field.kind === 'number' ? (field.integer ? 'N' : 'X') : '';
  const flag = `--${name} ${values}`.padEnd(34);
  const unit = field.kind === 'number' && field.unit ? ` (${field.unit})` : '';
  return `               ${flag}${field.label}${unit}: ${expectation(field)}`;
}

const USAGE = `usage:
  cli evaluate FILE [--resolution R] [--ratio a,b,c,d,e] [--json]
  cli search (--preset ${PRESET_NAMES.join('|')} | --config FILE) [--from NET|FILE] [--out DIR]
             [--profile P.json]   (the device profile a --budget-latency is measured on)
             [config fields: the preset's or the file's value unless given]
${FIELD_OPTIONS.map(optionUsage).join('\n')}
               --threads N                       onnxruntime threads, default one per core (at most 4)
             (--score entropy: MAE-DET's measured score on onnxruntime-web's wasm backend, as
              in the studio; --batch … --children-per-call and --threads go with it)
  cli export FILE --out PATH [--format onnx|pytorch|tinynas|json] [--head CLASSES] [--seed S]
             (onnx also writes the sidecar PATH.json)
  cli entropy FILE [--batch B] [--resolution R] [--repeats N] [--seed S] [--bn] [--relu]
              [--threads T] [--json]   (defaults: batch 4, 480, 4 repeats, seed 0, no BN, no ReLU)
  cli profile --out P.json [--resolution R] [--threads T] [--backend cpu|wasm] [--quick]
              [--preset NAME | --config FILE] [--resume P.json]
             (times the latency units of the config's space, default detection-r50 at 224 px,
              on onnxruntime-node's CPU provider or onnxruntime-web's wasm backend)
  cli latency FILE --profile P.json [--measure] [--json]
             (predicted latency, and with --measure the deploy ONNX timed on the profile's backend;
              the last line is JSON with predictedMs and measuredMs)
  cli worker --queue redis://HOST:PORT [--threads T] [--concurrency C]
             (scores the distributed measured search's jobs from a BullMQ queue on Redis, with
              onnxruntime-node; a malformed job fails with its reason; SIGTERM finishes, then exits)
  cli validate --bench nas-bench-macro|FILE [--score madnas,deepmad,entropy,flops,params]
               [--out scores.csv] [--resamples N] [--threads T] [--json]
             (how well each proxy ranks trained networks: Kendall τ-b and Spearman ρ with
              bootstrap 95% intervals; default every proxy without a forward pass; the last
              line is JSON {"networks":N,"proxies":{name:{kendall,spearman}}})
  NET is one of ${REFERENCE_NETWORK_NAMES.join(', ')}`;

function evaluateCommand(args: string[]): void {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { resolution: { type: 'string' }, ratio: { type: 'string' }, json: { type: 'boolean' } } });
  if (positionals.length !== 1) throw new UsageError('evaluate takes exactly one FILE');
  const resolution = integerOption(values.resolution, 'resolution', 1) ?? 480;
  let ratio = [...DETECTION_STAGE_WEIGHTS];
  if (values.ratio !== undefined) {
    ratio = values.ratio.split(',').map(Number);
    if (ratio.length === 0 || ratio.some((r) => !Number.isFinite(r) || r < 0)) throw new UsageError(`--ratio: found ${JSON.stringify(values.ratio)}, expected comma-separated non-negative numbers such as 0,0,1,1,6`);
  }
  const structure = parseStructure(readText(positionals[0]));
  const report = evaluateStructure(structure, resolution, ratio);
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : formatReport(structure, report));
}

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

async function searchCommand(args: string[]): Promise<void> {
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
      ...Object.fromEntries(FIELD_OPTIONS.map((o) => [o.name, { type: 'string' as const }])),
    },
  });
  const given = values as Record<string, string | undefined>;
  if (positionals.length > 0) throw new UsageError(`search takes no positional arguments (found ${JSON.stringify(positionals[0])})`);
  if ((values.preset === undefined) === (values.config === undefined)) throw new UsageError('search needs exactly one of --preset NAME or --config FILE');
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
  const measuredOnly = [...FIELD_OPTIONS.filter((o) => o.path.startsWith('score.entropy.')).map((o) => o.name), 'threads'];
  const score = given.score ?? (raw.score as { type?: unknown } | undefined)?.type;
  if (score !== 'entropy' && measuredOnly.some((name) => given[name] !== undefined)) {
    const flags = measuredOnly.map((n) => `--${n}`);
    throw new UsageError(`${flags.slice(0, -1).join(', ')} and ${flags[flags.length - 1]} set the measured entropy; use them with --score entropy`);
  }
  for (const { path, field, name } of FIELD_OPTIONS) if (given[name] !== undefined) raw = withValue(raw, path, fieldOption(given[name]!, name, field));
  if (values.from !== undefined) raw = { ...raw, model: loadSeedStructure(values.from) };
  if (values.profile !== undefined) raw = { ...raw, latencyProfile: loadProfile(values.profile) };
  const config = validateConfig(raw);
  const outDir = values.out ?? join('runs', `${values.preset ?? 'config'}-seed${config.search.seed}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const bar = makeProgressBar(process.stderr);
  const outcome = await runSearch(config, bar.update, nodeHosts(integerOption(values.threads, 'threads', 1)));
  bar.finish();
  mkdirSync(outDir, { recursive: true });
  const best = outcome.population.slice(0, config.search.numNetwork);
  writeFileSync(join(outDir, 'best_structure.txt'), toTinyNAS(best.map((m) => m.structure)));
  writeFileSync(join(outDir, 'run.json'), `${JSON.stringify(makeRunFile(config, outcome), null, 1)}\n`);
  process.stderr.write(`wrote ${join(outDir, 'best_structure.txt')} and ${join(outDir, 'run.json')}\n`);
  const top = outcome.population[0];
  const summary = {
    evaluated: outcome.evaluated,
    bestScore: top.score,
    bestFlops: top.flops,
    bestParams: top.params,
    bestLayers: top.layers,
    ...(top.latency !== undefined && { bestLatencyMs: top.latency }),
    seconds: outcome.seconds,
    childrenPerSecond: outcome.evaluated / outcome.seconds,
    workers: config.search.workers,
    outDir,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'evaluate') evaluateCommand(rest);
  else if (command === 'search') await searchCommand(rest);
  else if (command === 'export') exportCommand(rest);
  else if (command === 'entropy') await entropyCommand(rest);
  else if (command === 'profile') await profileCommand(rest);
  else if (command === 'latency') await latencyCommand(rest);
  else if (command === 'validate') await validateCommand(rest);
  else if (command === 'worker') await workerCommand(rest);
  else if (command === undefined || command === 'help' || command === '--help') process.stdout.write(`${USAGE}\n`);
  else throw new UsageError(`unknown command ${JSON.stringify(command)}; expected evaluate, search, export, entropy, profile, latency, validate or worker`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`error: ${message.split('\n')[0]}${usage ? " (run 'npm run cli -- help' for usage)" : ''}\n`);
  process.exitCode = usage ? 2 : 1;
});

