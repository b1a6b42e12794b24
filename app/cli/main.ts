/**
 * `npm run --silent cli -- <command>`: the engine from a shell.
 *   evaluate FILE [--resolution R] [--ratio a,b,c,d,e] [--json]
 *   search (--preset NAME | --config FILE) [--iterations N] [--seed S] [--workers W]
 *          [--draw inclusive|main] [--from NET|FILE] [--out DIR]
 *          [--score madnas|deepmad|entropy [--batch B] [--resolution R] [--repeats N]]
 *   export FILE --out PATH [--format onnx|pytorch|tinynas|json] [--head CLASSES] [--seed S]
 *   entropy FILE [--batch B] [--resolution R] [--repeats N] [--seed S] [--bn] [--relu] [--threads T] [--json]
 * Errors: one line on stderr, exit status 1 (2 for a usage error).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { presetConfig, PRESET_NAMES, validateConfig, type RunConfig } from '../engine/config';
import { evaluateStructure } from '../engine/evaluate';
import { findReferenceNetwork, REFERENCE_NETWORK_NAMES } from '../engine/networks';
import { makeRunFile } from '../engine/runFile';
import { parseStructure, toTinyNAS } from '../engine/structure';
import { integerOption, readText, UsageError } from './args';
import { entropyCommand } from './entropyCommand';
import { exportCommand } from './exportCommand';
import { formatReport, makeProgressBar } from './format';
import { runSearch } from './runSearch';

const USAGE = `usage:
  cli evaluate FILE [--resolution R] [--ratio a,b,c,d,e] [--json]
  cli search (--preset ${PRESET_NAMES.join('|')} | --config FILE) [--iterations N] [--seed S]
             [--workers W] [--draw inclusive|main] [--from NET|FILE] [--out DIR]
             [--score madnas|deepmad|entropy [--batch B] [--resolution R] [--repeats N]]
             (entropy: MAE-DET's measured score on onnxruntime-node; defaults batch 2, 224, 1 repeat)
  cli export FILE --out PATH [--format onnx|pytorch|tinynas|json] [--head CLASSES] [--seed S]
             (onnx also writes the sidecar PATH.json)
  cli entropy FILE [--batch B] [--resolution R] [--repeats N] [--seed S] [--bn] [--relu]
              [--threads T] [--json]   (defaults: batch 4, 480, 4 repeats, seed 0, no BN, no ReLU)
  NET is one of ${REFERENCE_NETWORK_NAMES.join(', ')}`;

function evaluateCommand(args: string[]): void {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { resolution: { type: 'string' }, ratio: { type: 'string' }, json: { type: 'boolean' } } });
  if (positionals.length !== 1) throw new UsageError('evaluate takes exactly one FILE');
  const resolution = integerOption(values.resolution, 'resolution', 1) ?? 480;
  let ratio = [0, 0, 1, 1, 6];
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

async function searchCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      preset: { type: 'string' },
      config: { type: 'string' },
      iterations: { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      draw: { type: 'string' },
      from: { type: 'string' },
      out: { type: 'string' },
      score: { type: 'string' },
      batch: { type: 'string' },
      resolution: { type: 'string' },
      repeats: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`search takes no positional arguments (found ${JSON.stringify(positionals[0])})`);
  if ((values.preset === undefined) === (values.config === undefined)) throw new UsageError('search needs exactly one of --preset NAME or --config FILE');
  let raw: RunConfig;
  if (values.preset !== undefined) raw = presetConfig(values.preset);
  else {
    try {
      raw = JSON.parse(readText(values.config!));
    } catch (e) {
      if (e instanceof SyntaxError) throw new Error(`${values.config} is not valid JSON: ${e.message}`);
      throw e;
    }
  }
  const entropyOptions = { batch: values.batch, resolution: values.resolution, repeats: values.repeats };
  const score = values.score ?? raw.score?.type;
  if (score !== 'entropy' && Object.values(entropyOptions).some((v) => v !== undefined)) throw new UsageError('--batch, --resolution and --repeats set the measured entropy; use them with --score entropy');
  const config = validateConfig({
    ...raw,
    model: values.from !== undefined ? loadSeedStructure(values.from) : raw.model,
    score: {
      ...raw.score,
      ...(values.score !== undefined && { type: values.score }),
      entropy: {
        ...raw.score?.entropy,
        ...(values.batch !== undefined && { batch: integerOption(values.batch, 'batch', 1) }),
        ...(values.resolution !== undefined && { resolution: integerOption(values.resolution, 'resolution', 1) }),
        ...(values.repeats !== undefined && { repeats: integerOption(values.repeats, 'repeats', 1) }),
      },
    },
    space: { ...raw.space, ...(values.draw !== undefined && { draw: values.draw }) },
    search: {
      ...raw.search,
      ...(values.iterations !== undefined && { numRandomNets: integerOption(values.iterations, 'iterations', 0) }),
      ...(values.seed !== undefined && { seed: integerOption(values.seed, 'seed', 0) }),
      ...(values.workers !== undefined && { workers: integerOption(values.workers, 'workers', 1) }),
    },
  });
  const outDir = values.out ?? join('runs', `${values.preset ?? 'config'}-seed${config.search.seed}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const bar = makeProgressBar(process.stderr);
  const outcome = await runSearch(config, bar.update);
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
  else if (command === undefined || command === 'help' || command === '--help') process.stdout.write(`${USAGE}\n`);
  else throw new UsageError(`unknown command ${JSON.stringify(command)}; expected evaluate, search, export or entropy`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`error: ${message.split('\n')[0]}${usage ? " (run 'npm run cli -- help' for usage)" : ''}\n`);
  process.exitCode = usage ? 2 : 1;
});

