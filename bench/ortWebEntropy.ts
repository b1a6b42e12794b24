/**
 * One measured-entropy timing on onnxruntime-web's wasm backend in Node, in a process of its own
 * (the wasm fixes its thread count at the first session):
 *   node app/cli/run.mjs bench/ortWebEntropy.ts THREADS FILE
 * Prints the EntropyResult as JSON.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { measureEntropy } from '../app/engine/entropy';
import { ortRuntime } from '../app/engine/onnx/ortRuntime';
import { parseStructure } from '../app/engine/structure';
import { BENCH_ENTROPY } from './onnx';

const [threads, file] = process.argv.slice(2);
const runtime = ortRuntime(ort, { threads: Number(threads) });
const structure = parseStructure(readFileSync(file, 'utf8'));
// the first measurement loads and compiles the wasm; the second is the one reported
await measureEntropy(structure, { ...BENCH_ENTROPY, repeats: 1 }, runtime);
process.stdout.write(`${JSON.stringify(await measureEntropy(structure, BENCH_ENTROPY, runtime))}\n`);
