/** Web Worker running the engine's search, exposed with comlink. */
import * as Comlink from 'comlink';
import { presetConfig } from '../app/engine/config';
import { Search } from '../app/engine/evolution/search';
import { toTinyNAS } from '../app/engine/structure';
import type { SearchWorkerApi } from './searchApi';

const api: SearchWorkerApi = {
  runPreset(preset, children, seed) {
    const start = performance.now();
    const config = presetConfig(preset);
    config.search.numRandomNets = children;
    config.search.seed = seed;
    const search = Search.create(config);
    search.advance(children);
    const best = search.best();
    return {
      evaluated: search.evaluated,
      bestScore: best.score,
      bestFlops: best.flops,
      bestParams: best.params,
      bestLayers: best.layers,
      bestStructure: toTinyNAS([best.structure]),
      milliseconds: performance.now() - start,
    };
  },
};

Comlink.expose(api);
