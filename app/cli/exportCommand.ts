/**
 * `cli export FILE --out PATH [--format onnx|pytorch|tinynas|json] [--head CLASSES] [--seed S]`:
 * write the first structure of a structure file as
 *   onnx     the deploy model (random weights from S, default 0; a classification head with
 *            CLASSES outputs if asked), plus its sidecar description as PATH.json;
 *   pytorch  a self-contained .py module building the reference deploy model (head as for onnx);
 *   tinynas  TinyNAS's best_structure.txt;
 *   json     a JSON list of blocks.
 * Prints one JSON summary line on stdout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { toPyTorchModule } from '../engine/export/pytorch';
import { sidecarJSON } from '../engine/export/sidecar';
import { deployModel } from '../engine/onnx/deploy';
import { parseStructure, toJSON, toTinyNAS } from '../engine/structure';
import { integerOption, readText, UsageError } from './args';

const FORMATS = ['onnx', 'pytorch', 'tinynas', 'json'] as const;
type ExportFormat = (typeof FORMATS)[number];

function isFormat(value: string): value is ExportFormat {
  return (FORMATS as readonly string[]).includes(value);
}

function writeFile(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

export function exportCommand(args: string[]): void {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, format: { type: 'string' }, head: { type: 'string' }, seed: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('export takes exactly one FILE');
  if (values.out === undefined) throw new UsageError('export needs --out PATH');
  const format = values.format ?? 'onnx';
  if (!isFormat(format)) throw new UsageError(`--format: found ${JSON.stringify(format)}, expected one of ${FORMATS.join(', ')}`);
  const classes = integerOption(values.head, 'head', 1);
  const seed = integerOption(values.seed, 'seed', 0);
  // only the ONNX model has weights; the structure formats have no head either
  if (format !== 'onnx' && seed !== undefined) throw new UsageError('--seed applies to --format onnx only');
  if (format !== 'onnx' && format !== 'pytorch' && classes !== undefined) throw new UsageError('--head applies to --format onnx or pytorch only');
  const head = classes === undefined ? undefined : { classes };

  const structure = parseStructure(readText(positionals[0]));
  const out = values.out;
  const started = performance.now();
  const files = [out];
  if (format === 'onnx') {
    const { bytes, sidecar } = deployModel(structure, { seed, head });
    writeFile(out, bytes);
    files.push(`${out}.json`);
    writeFile(files[1], sidecarJSON(sidecar));
  } else if (format === 'pytorch') {
    // the file's own name is the Python module name its docstring imports
    writeFile(out, toPyTorchModule(structure, { head, name: basename(out, extname(out)) }));
  } else {
    writeFile(out, format === 'tinynas' ? toTinyNAS([structure]) : toJSON(structure));
  }
  process.stderr.write(`wrote ${files.join(' and ')}\n`);
  process.stdout.write(`${JSON.stringify({ format, files, seconds: (performance.now() - started) / 1000 })}\n`);
}
