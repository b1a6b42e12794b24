/**
 * `npm run --silent cli -- <command>`: the engine from a shell.
 *   evaluate FILE [--resolution R] [--ratio a,b,c,d,e] [--json]
 *   search (--preset NAME | --config FILE) [--from NET|FILE] [--out DIR] [--threads T]
 *          [--FIELD VALUE …: the config fields with a CLI name in engine/configFields.ts]
 *          [--backend cpu|wasm] [--queue redis://HOST:PORT [--job-size N]]   (--score entropy)
 *   search --resume DIR [--queue redis://HOST:PORT] [--threads T]
 *   export FILE --out PATH [--format onnx|pytorch|tinynas|json] [--head CLASSES] [--seed S]
 *   entropy FILE [--batch B] [--resolution R] [--repeats N] [--seed S] [--bn] [--relu] [--threads T] [--json]
 *   profile --out P.json [--resolution R] [--threads T] [--backend cpu|wasm] [--quick] [--preset NAME | --config FILE] [--resume P.json]
 *   latency FILE --profile P.json [--measure] [--json]
 *   worker --queue redis://HOST:PORT [--threads T] [--concurrency C]
 *   validate --bench nas-bench-macro|FILE [--score madnas,deepmad,entropy,flops,params] [--out scores.csv] [--resamples N] [--threads T] [--json]
 * Errors: one line on stderr, exit status 1 (2 for a usage error).
 */
import { parseArgs } from 'node:util';
import { PRESET_NAMES } from '../engine/config';
import { DETECTION_STAGE_WEIGHTS } from '../engine/configFields';
import { evaluateStructure } from '../engine/evaluate';
import { REFERENCE_NETWORK_NAMES } from '../engine/referenceNetworks';
import { parseStructure } from '../engine/structure';
import { integerOption, readText, UsageError } from './args';
import { entropyCommand } from './entropyCommand';
import { latencyCommand, profileCommand } from './latencyCommand';
import { exportCommand } from './exportCommand';
import { FIELD_OPTIONS, optionUsage, searchCommand } from './searchCommand';
import { validateCommand } from './validateCommand';
import { workerCommand } from './workerCommand';
import { formatReport } from './format';

const USAGE = `usage:
  cli evaluate FILE [--resolution R] [--ratio a,b,c,d,e] [--json]
  cli search (--preset ${PRESET_NAMES.join('|')} | --config FILE) [--from NET|FILE] [--out DIR]
             [--profile P.json]   (the device profile a --budget-latency is measured on)
             [config fields: the preset's or the file's value unless given]
${FIELD_OPTIONS.map(optionUsage).join('\n')}
               --threads N                       onnxruntime threads, default one per core (at most 4)
               --backend cpu|wasm                onnxruntime-node (cpu, default, the fastest) or
                                                 onnxruntime-web's wasm (the studio's bits on any CPU)
               --queue redis://HOST:PORT         measure on the workers of a queue (cli worker)
               --job-size N                      structures per queue job, default 2
             (--score entropy: MAE-DET's measured score, a forward pass per child; --batch …
              --children-per-call, --threads, --backend and --queue go with it; the run's
              journal in DIR lets a killed run go on:)
  cli search --resume DIR [--queue redis://HOST:PORT] [--threads T]
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
             (scores the distributed measured search's jobs from a BullMQ queue on Redis, on the
              job's backend; a malformed job fails with its reason; SIGTERM finishes, then exits)
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

