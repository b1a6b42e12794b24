import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../app/engine/errors';
import { CONFIG_VERSION, PRESET_NAMES, presetConfig, validateConfig } from '../../app/engine/config';
import { makeRunFile, readRunFile } from '../../app/engine/runFile';
import { Search } from '../../app/engine/evolution/search';

const messageOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
};

describe('presets', () => {
  it.each(PRESET_NAMES)('%s validates and round-trips through JSON', (name) => {
    const c = presetConfig(name);
    expect(validateConfig(JSON.parse(JSON.stringify(c)))).toEqual(c);
  });
  it('detection-r50 is the TinyNAS R50_FLOPs config', () => {
    const c = presetConfig('detection-r50');
    expect(c).toMatchObject({ imageSize: 480, budgets: { flops: 188e8, layers: 91, params: null }, score: { multiBlockRatio: [0, 0, 1, 1, 6] }, search: { popuSize: 256, numRandomNets: 100000 }, space: { type: 'k1kxk1', draw: 'inclusive' } });
    expect(c.model.seedName).toBe('r50_det_seed');
  });
  it('classification-r50 has the classification budgets', () => {
    expect(presetConfig('classification-r50')).toMatchObject({ imageSize: 224, budgets: { flops: 41e8, layers: 49, params: 25.55e6 }, score: { multiBlockRatio: [0, 0, 0, 0, 1] } });
  });
  it('unknown preset names the choices', () => {
    expect(messageOf(() => presetConfig('nope'))).toContain('detection-r50');
  });
});

describe('validation errors name the field and what was expected', () => {
  const base = (): Record<string, unknown> => JSON.parse(JSON.stringify(presetConfig('detection-r50')));
  /** a copy of the preset with `value` at a dotted path (list indices included) */
  const patched = (path: string, value: unknown) => {
    const c = base();
    const keys = path.split('.');
    let o = c as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) o = o[key] as Record<string, unknown>;
    o[keys[keys.length - 1]] = value;
    return c;
  };
  it.each([
    ['budgets.flops', 'budgets.flops', -1, 'positive number'],
    ['search.popuSize', 'search.popuSize', 2.5, 'integer'],
    ['space.type', 'space.type', 'resnet', 'k1kxk1'],
    ['space.draw', 'space.draw', 'any', 'inclusive, main'],
    ['score.multiBlockRatio', 'score.multiBlockRatio', [0, 1, 6], '5 stages'],
    ['score.multiBlockRatio', 'score.multiBlockRatio', [0, 0, 0, 0, 0], 'at least one positive'],
    ['model.structure', 'model.structure.2.in', 100, "block 2 (SuperResK1KXK1), key 'in': found 100, expected 256"],
    ['model.seedName', 'model', { seedName: 'r1000' }, 'maedet_s'],
    ['version', 'version', 99, 'newer'],
    ['search.seed', 'search.seed', 'x', 'integer'],
    ['extra', 'extra', 1, 'unknown field'],
    ['score.type', 'score.type', 'zen', 'madnas, deepmad, entropy'],
    ['score.entropy.batch', 'score.entropy.batch', 0, 'an integer from 1 to 256'],
    ['score.entropy.bn', 'score.entropy.bn', 'yes', 'true or false'],
    ['score.entropy', 'score.entropy', 3, 'an object'],
    ['search.popSize', 'search.popSize', 64, 'unknown field; expected popuSize'],
  ])('%s', (path, at, value, expected) => {
    const message = messageOf(() => validateConfig(patched(at, value)));
    expect(message.startsWith(path)).toBe(true);
    expect(message).toContain(expected);
  });

  it('a seed over budget is a sentence, not a crash', () => {
    expect(messageOf(() => validateConfig(patched('budgets.flops', 5e9)))).toBe('budgets.flops: the starting network (seed structure) needs 7.75 GFLOPs but the budget is 5.00 GFLOPs; it must fit every budget');
  });

  it('a seed block of another space is explained', () => {
    expect(messageOf(() => validateConfig(patched('space.type', 'k1dwk1')))).toContain("block 1 is SuperResK1KXK1, but space 'k1dwk1' mutates SuperResK1DWK1 blocks");
  });

  it('a missing version reads as version 1, migrated to the current version', () => {
    const c = patched('score.entropy.childrenPerCall', undefined);
    delete c.version;
    const read = validateConfig(c);
    expect(read.version).toBe(CONFIG_VERSION);
    expect(read.score.entropy.childrenPerCall).toBe(4);
  });
});

describe('run files', () => {
  const c = presetConfig('detection-r50');
  c.search.numRandomNets = 500;
  const s = Search.create(c);
  s.advance(500);
  const file = makeRunFile(s.config, { evaluated: s.evaluated, seconds: 0.1, population: s.population.records(), history: s.history });

  const scoring = { provider: 'BullMQ queue on redis://***@h:6379', scored: 501, replayed: 3, queue: { url: 'redis://***@h:6379', jobs: 250, jobSize: 2, workers: 3, peakWorkers: 4, failedAttempts: 1, stalledJobs: 1, resentJobs: 0 } };
  const measured = makeRunFile(s.config, { evaluated: s.evaluated, seconds: 0.1, population: s.population.records(), history: s.history, scoring });

  it('round-trip', () => {
    expect(readRunFile(JSON.stringify(file))).toEqual(file);
    expect(readRunFile(JSON.stringify(measured))).toEqual(measured);
  });
  it.each([
    ['{', 'not a JSON run file'],
    ['[]', 'expected a run object'],
    [JSON.stringify({ ...file, format: 'x' }), 'format: found "x"'],
    [JSON.stringify({ ...file, version: 3 }), 'newer'],
    [JSON.stringify({ ...measured, scoring: { ...scoring, scored: 'many' } }), 'scoring.scored: found "many", expected a number'],
    [JSON.stringify({ ...measured, scoring: { ...scoring, queue: { ...scoring.queue, workers: null } } }), 'scoring.queue.workers: found None, expected a number'],
    [JSON.stringify({ ...file, population: [{ ...file.population[0], score: 'NaN' }] }), 'population[0].score'],
    [JSON.stringify({ ...file, population: [{ ...file.population[0], structure: [{ class: 'Foo' }] }] }), "population[0].structure: block 0, key 'class'"],
  ])('rejects %#', (text, expected) => {
    expect(messageOf(() => readRunFile(text))).toContain(expected);
  });
});
