// A measured-entropy search gives the same run on every host: the CLI (a real process, 1 and 2
// onnxruntime threads, --backend wasm) and the studio's search service in Node, its scoring worker behind the
// same comlink bridge as in the page, on onnxruntime-web's wasm backend as in the page. The
// e2e suite checks the built studio in Chromium against the same CLI run.
import 'fake-indexeddb/auto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Comlink from 'comlink';
import * as ortWeb from 'onnxruntime-web';
import { afterAll, describe, expect, it } from 'vitest';
import { presetConfig, type RunConfig } from '../../app/engine/config';
import { measureEntropy } from '../../app/engine/entropy';
import { ortRuntime } from '../../app/engine/onnx/ortRuntime';
import { readRunFile, type RunFile } from '../../app/engine/runFile';
import { cli } from '../cli/cliProcess';
import { createScoreService } from '../../workers/scoreService';
import { createSearchService } from '../../workers/searchService';
import type { ScoreWorkerApi } from '../../workers/scoreApi';

const dir = mkdtempSync(join(tmpdir(), 'maedet-measured-'));
const ports: MessagePort[] = [];
afterAll(() => {
  for (const p of ports) p.close();
});

/** the small measured search: 24 children, 2 per scoring call, batch 2 at 32 px, 1 repeat */
function smallMeasuredConfig(): RunConfig {
  const c = presetConfig('detection-r50');
  c.search = { ...c.search, numRandomNets: 24, seed: 3 };
  c.score = { ...c.score, type: 'entropy', entropy: { ...c.score.entropy, batch: 2, resolution: 32, repeats: 1, childrenPerCall: 2 } };
  return c;
}

function cliRun(config: RunConfig, threads: number): RunFile {
  const configFile = join(dir, `config-${threads}.json`);
  writeFileSync(configFile, JSON.stringify(config));
  const out = join(dir, `threads-${threads}`);
  // the studio's runtime: onnxruntime-web's wasm backend, here in Node
  const r = cli('search', '--config', configFile, '--backend', 'wasm', '--threads', String(threads), '--out', out);
  expect(r.stderr).not.toMatch(/^error/m);
  expect(r.status).toBe(0);
  return readRunFile(readFileSync(join(out, 'run.json'), 'utf8'));
}

/** the studio's search service with its scoring worker, each behind a MessageChannel instead of a Web Worker */
async function bridgeRun(config: RunConfig): Promise<RunFile> {
  const channel = () => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    return [port1, port2] as const;
  };
  const [scoreEnd, scoreClient] = channel();
  Comlink.expose(
    createScoreService(async (_choice, threads) => ortRuntime(ortWeb, { threads })),
    scoreEnd,
  );
  const service = createSearchService(
    () => {
      throw new Error('a measured search runs no islands');
    },
    () => ({ api: Comlink.wrap<ScoreWorkerApi>(scoreClient), failed: new Promise<never>(() => {}), terminate() {} }),
  );
  expect(await service.run(config, () => {})).toBe('done');
  return (await service.runFile())!;
}

describe('a measured-entropy search is the same run on every host', () => {
  const config = smallMeasuredConfig();
  const one = cliRun(config, 1);

  it('the CLI measures every child and finds a network above the seed', async () => {
    expect(one.evaluated).toBe(24);
    const seed = await measureEntropy(config.model.structure, { batch: 2, resolution: 32, repeats: 1, bn: false, relu: false, seed: 3, ratio: [0, 0, 1, 1, 6] }, ortRuntime(ortWeb, { threads: 1 }));
    expect(one.history[0].best).toBe(seed.mean);
    expect(one.population[0].score).toBeGreaterThan(seed.mean);
  });

  it('the CLI with 2 onnxruntime threads gives bit-identical scores and population', () => {
    const two = cliRun(config, 2);
    expect(two.population).toEqual(one.population);
    expect(two.history).toEqual(one.history);
  });

  it("the studio's search service in Node, through the worker bridge, gives the CLI's run", async () => {
    const bridged = await bridgeRun(config);
    expect(bridged.population).toEqual(one.population);
    expect(bridged.history).toEqual(one.history);
    // both record what measured them: the same runtime, the same count
    expect(bridged.scoring).toEqual({ ...one.scoring, provider: expect.stringMatching(/^onnxruntime-web [\d.]+, wasm/) });
    expect(one.scoring!.provider).toMatch(/^onnxruntime-web [\d.]+, wasm, 1 thread$/);
  });
});
