/**
 * The latency bench's onnxruntime-node part in a process of its own (bench/latency.ts):
 *   node app/cli/run.mjs bench/latencyNode.ts THREADS
 * Prints its rows and profile as JSON.
 */
import { nodeBenchPart } from './latency';

process.stdout.write(`${JSON.stringify(await nodeBenchPart(Number(process.argv[2])))}\n`);
