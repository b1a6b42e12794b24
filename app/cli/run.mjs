// Runs a TypeScript entry of this repo under Node: bundles it (and the search's worker-thread
// entry) with esbuild into node_modules/.cache, then imports it. Bundling takes a few tens of
// milliseconds and gives worker threads plain JavaScript to load.
//   node app/cli/run.mjs ENTRY.ts [args...]
import { build } from 'esbuild';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node app/cli/run.mjs ENTRY.ts [args...]\n');
  process.exit(2);
}
const outdir = join(root, 'node_modules', '.cache', 'maedet-studio', basename(entry, '.ts'));
await build({
  entryPoints: { main: resolve(entry), islandThread: join(root, 'app/cli/islandThread.ts') },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
process.argv = [process.argv[0], resolve(entry), ...args];
// where the repo's shipped data is (public/): the bundle runs from node_modules/.cache
process.env.MAEDET_STUDIO_ROOT ??= root;
await import(pathToFileURL(join(outdir, 'main.mjs')).href);
