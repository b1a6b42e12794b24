// `cli export`, run as a user runs it (a real Node process): the ONNX deploy model with its sidecar,
// the structure formats, and one-line errors.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { cli, expectOneErrorLine } from './cliProcess';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { deployModel } from '../../app/engine/onnx/deploy';
import { parseStructure, toTinyNAS } from '../../app/engine/structure';

const dir = mkdtempSync(join(tmpdir(), 'maedet-export-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const maedetS = findReferenceNetwork('maedet_s')!.structure;
const maedetSFile = file('maedet_s.txt', toTinyNAS([maedetS]));

describe('cli export', () => {
  it('--format onnx (the default) writes the model and PATH.json, and the model runs', async () => {
    const out = join(dir, 'models', 's.onnx');
    const r = cli('export', maedetSFile, '--out', out, '--seed', '2', '--head', '5');
    expect(r.stderr).toBe(`wrote ${out} and ${out}.json\n`);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'onnx', files: [out, `${out}.json`] });

    const bytes = readFileSync(out);
    const expected = deployModel(maedetS, { seed: 2, head: { classes: 5 } });
    expect(bytes.equals(Buffer.from(expected.bytes))).toBe(true);
    expect(JSON.parse(readFileSync(`${out}.json`, 'utf8'))).toEqual(expected.sidecar);

    const session = await ort.InferenceSession.create(bytes);
    const output = await session.run({ images: new ort.Tensor('float32', new Float32Array(3 * 64 * 96), [1, 3, 64, 96]) });
    expect(session.outputNames.map((n) => output[n].dims)).toEqual([
      [1, 48, 16, 24],
      [1, 272, 8, 12],
      [1, 1024, 4, 6],
      [1, 2048, 2, 3],
      [1, 5],
    ]);
    await session.release();
  });

  it.each(['tinynas', 'json'])('--format %s writes the structure', (format) => {
    const out = join(dir, `s.${format}`);
    const r = cli('export', maedetSFile, '--out', out, '--format', format);
    expect(r.status).toBe(0);
    expect(parseStructure(readFileSync(out, 'utf8'))).toEqual(maedetS);
    expect(existsSync(`${out}.json`)).toBe(false);
  });

  it('--format pytorch writes the Python module, named after the file, with the head', () => {
    const out = join(dir, 'maedet_s.py');
    const r = cli('export', maedetSFile, '--out', out, '--format', 'pytorch', '--head', '5');
    expect(r.status).toBe(0);
    const source = readFileSync(out, 'utf8');
    expect(source).toContain('maedet_s: a TinyNAS CnnNet classifier');
    expect(source).toContain('NUM_CLASSES = 5');
    expect(source).toContain('class SuperResK1KXK1(SuperBlock)');
  });

  it.each([
    [['export', '/nonexistent/file.txt', '--out', 'OUT'], 1, 'cannot read /nonexistent/file.txt: no such file'],
    [['export', 'SHORT', '--out', 'OUT'], 1, 'the deploy model needs at least 5 stages for its outputs C2–C5, but the structure has 2'],
    [['export', 'MAEDET'], 2, 'export needs --out PATH'],
    [['export', 'MAEDET', '--out', 'OUT', '--format', 'keras'], 2, '--format: found "keras", expected one of onnx'],
    [['export', 'MAEDET', '--out', 'OUT', '--format', 'pytorch', '--seed', '1'], 2, '--seed applies to --format onnx only'],
    [['export', 'MAEDET', '--out', 'OUT', '--format', 'json', '--head', '10'], 2, '--head applies to --format onnx or pytorch only'],
    [['export', 'MAEDET', '--out', 'OUT', '--head', '0'], 2, '--head: found "0", expected an integer ≥ 1'],
  ])('%j exits %i with one clear line', (args, status, message) => {
    const short = file('short.txt', "[{'class': 'ConvKXBNRELU', 'in': 3, 'out': 32, 's': 2, 'k': 3}, {'class': 'SuperResK1KXK1', 'in': 32, 'out': 64, 's': 2, 'k': 3, 'L': 1, 'btn': 16}]");
    const out = join(dir, 'never.onnx');
    const r = cli(...(args as string[]).map((a) => (a === 'SHORT' ? short : a === 'MAEDET' ? maedetSFile : a === 'OUT' ? out : a)));
    expectOneErrorLine(r, status, message);
    expect(existsSync(out)).toBe(false);
  });
});
