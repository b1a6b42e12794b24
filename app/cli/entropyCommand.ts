/**
 * `cli entropy FILE [--batch B] [--resolution R] [--repeats N] [--seed S] [--bn] [--relu]
 * [--threads T] [--json]`: MAE-DET's measured entropy (§4) of the first structure of a structure
 * file, on onnxruntime-node's CPU provider. Defaults are the engine's `DEFAULT_ENTROPY_SETTINGS`
 * (the detection script's, with batch 4 instead of 32). `--json` prints one object; otherwise a
 * readable summary. With a terminal on stderr, each repeat is reported as it finishes.
 */
import { parseArgs } from 'node:util';
import type { Structure } from '../engine/block';
import { DEFAULT_ENTROPY_SETTINGS, measureEntropy, type EntropyResult, type ResolvedEntropySettings } from '../engine/entropy';
import { ortRuntime } from '../engine/onnx/ortRuntime';
import { madnas } from '../engine/scores/madnas';
import { parseStructure } from '../engine/structure';
import { fieldOption, integerOption, readText, UsageError } from './args';
import { CONFIG_FIELDS, type FieldPath } from '../engine/configFields';

const option = (text: string | undefined, name: string, path: FieldPath) => (text === undefined ? undefined : (fieldOption(text, name, CONFIG_FIELDS[path]) as number));

export async function entropyCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      batch: { type: 'string' },
      resolution: { type: 'string' },
      repeats: { type: 'string' },
      seed: { type: 'string' },
      bn: { type: 'boolean' },
      relu: { type: 'boolean' },
      threads: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('entropy takes exactly one FILE');
  const defaults = DEFAULT_ENTROPY_SETTINGS;
  const settings: ResolvedEntropySettings = {
    ...defaults,
    // the measurement's limits are the search's (the table of config fields)
    batch: option(values.batch, 'batch', 'score.entropy.batch') ?? defaults.batch,
    resolution: option(values.resolution, 'resolution', 'score.entropy.resolution') ?? defaults.resolution,
    repeats: option(values.repeats, 'repeats', 'score.entropy.repeats') ?? defaults.repeats,
    seed: option(values.seed, 'seed', 'search.seed') ?? defaults.seed,
    bn: values.bn ?? defaults.bn,
    relu: values.relu ?? defaults.relu,
  };
  const threads = integerOption(values.threads, 'threads', 1);
  const structure = parseStructure(readText(positionals[0]));
  // loaded here, not at the top, so the other commands do not pay for the native runtime
  const ort = await import('onnxruntime-node');
  const progress = process.stderr.isTTY ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  const result = await measureEntropy(structure, settings, ortRuntime(ort, { threads }), {
    onRepeat: progress && ((r) => progress(`repeat ${r.index + 1}/${r.repeats}: ${r.score.toFixed(4)} (${(r.ms / 1000).toFixed(1)} s)`)),
  });
  const analytic = madnas(structure, settings.ratio);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...result, madnas: analytic.total, settings })}\n`);
  } else {
    process.stdout.write(formatEntropy(positionals[0], structure, settings, result, analytic.perStage, analytic.total));
  }
}

const ms = (v: number) => `${Math.round(v).toLocaleString('en-US')} ms`;

function formatEntropy(file: string, structure: Structure, s: ResolvedEntropySettings, r: EntropyResult, madnasPerStage: number[], madnasTotal: number): string {
  const score = (v: number) => v.toFixed(4).padStart(12);
  const lines = [
    `structure   ${file} (${structure.length} blocks)`,
    `settings    batch ${s.batch}, ${s.resolution}×${s.resolution}, ${s.repeats} repeat${s.repeats === 1 ? '' : 's'}, seed ${s.seed}, BN ${s.bn ? 'on' : 'off'}, ReLU ${s.relu ? 'on' : 'off'}, ratio ${s.ratio.join(',')}`,
    `runtime     ${r.provider}`,
    `time        ${ms(r.msPerRepeat)} per repeat (${ms(r.sampleMsPerRepeat)} drawing the Gaussian feeds); graph ${ms(r.buildMs)}, session ${ms(r.sessionMs)}`,
    '',
    `repeat        entropy`,
    ...r.perRepeat.map((v, i) => `${String(i).padEnd(6)}${score(v)}`),
    '',
    `stage         entropy      madnas`,
    ...r.perStage.map((v, i) => `${String(i).padEnd(6)}${score(v)}${score(madnasPerStage[i])}`),
    `total ${score(r.mean)}${score(madnasTotal)}`,
    '',
    `entropy     ${r.mean.toFixed(4)} ± ${r.std.toFixed(4)} (mean and sample std over the repeats)`,
  ];
  return `${lines.join('\n')}\n`;
}
