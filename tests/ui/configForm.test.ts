import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { axisTicks, stableDomain } from '../../app/ui/components/charts';
import { formatCount } from '../../app/ui/format';
import { buildConfig, draftFromHash, draftToHash, presetDraft, type ConfigDraft } from '../../app/ui/configForm';
import { presetConfig, validateConfig, type RunConfig } from '../../app/engine/config';
import { CONFIG_FIELDS, type FieldPath, type NumberField } from '../../app/engine/configFields';
import { LatencyPredictor } from '../../app/engine/latency/predictor';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { partialProfile, syntheticProfile } from './latencyProfile';

describe('constraint form', () => {
  it('a preset draft builds exactly the preset config', () => {
    for (const name of ['detection-r50', 'detection-r101', 'classification-r50']) {
      const { config, errors } = buildConfig(presetDraft(name));
      expect(errors).toEqual({});
      expect(config).toEqual(presetConfig(name));
    }
  });
  it('unit-aware budgets and switched-off budgets', () => {
    const draft = presetDraft('detection-r50');
    draft.budgets.flops.text = '15.5 G';
    draft.budgets.layers.on = false;
    const { config } = buildConfig(draft);
    expect(config!.budgets).toEqual({ flops: 15.5e9, macs: null, params: null, layers: null, efficientScore: null, latency: null });
  });
  it('every bad field gets its own reason', () => {
    const draft = presetDraft('detection-r50');
    draft.children = 'many';
    draft.budgets.flops.text = '18.8 X';
    draft.ratio[2] = '-1';
    const { config, errors, summary } = buildConfig(draft);
    expect(config).toBeNull();
    expect(errors.children).toContain('a whole number');
    expect(errors.flops).toContain('"18.8 G"');
    expect(errors.ratio).toContain('five numbers');
    expect(summary).toBeTruthy();
  });
  it('engine errors land on their field as a sentence', () => {
    const draft = presetDraft('detection-r50');
    draft.budgets.flops.text = '5 G';
    expect(buildConfig(draft).errors.flops).toBe('The starting network (seed structure) needs 7.75 GFLOPs but the budget is 5.00 GFLOPs; it must fit every budget.');
    draft.budgets.flops.text = '18.8 G';
    draft.seedNet = 'pasted';
    draft.pastedSeed = "[{'class': 'Nope'}]";
    expect(buildConfig(draft).errors.seedStructure).toContain("block 0, key 'class'");
  });
  it('the URL round-trips the draft; junk in the URL is ignored', () => {
    const draft = presetDraft('classification-r50');
    draft.seed = '42';
    expect(draftFromHash(draftToHash(draft))).toEqual(draft);
    expect(draftFromHash('#config=%7Bnot json')).toBeNull();
    expect(draftFromHash('#other')).toBeNull();
    expect(draftFromHash(`#config=${encodeURIComponent(JSON.stringify({ preset: 'detection-r50', space: 'evil', ratio: [1] }))}`)).toMatchObject({ space: 'k1kxk1', ratio: ['0', '0', '1', '1', '6'] });
  });
});

describe('the latency budget', () => {
  const profile = syntheticProfile('wasm 2T · 224 px · 2026-12-06');
  const seedMs = new LatencyPredictor(profile).predictMs(findReferenceNetwork('r50_det_seed')!.structure);
  /** the detection preset with a latency budget of `text` measured on the profile of `name` */
  const budgeted = (text: string, name = profile.name) => {
    const draft = { ...presetDraft('detection-r50'), latencyProfile: name };
    draft.budgets.latency = { on: true, text };
    return draft;
  };

  it('carries the named profile whole into the config, with the budget in ms', () => {
    expect(Number.isFinite(seedMs) && seedMs > 0).toBe(true);
    const { config, errors } = buildConfig(budgeted(`${(1.5 * seedMs).toFixed(3)} ms`), profile);
    expect(errors).toEqual({});
    expect(config!.budgets.latency).toBe(Number((1.5 * seedMs).toFixed(3)));
    expect(config!.latencyProfile).toEqual(profile);
  });

  it('reads milliseconds as typed, and names what it takes otherwise', () => {
    const ms = Math.ceil(2 * seedMs);
    for (const [text, value] of [[`${ms}`, ms], [` ${ms} ms `, ms], [`${ms}ms`, ms], [`${ms}.5`, ms + 0.5], [`${ms}.`, ms]] as const) {
      expect(buildConfig(budgeted(text), profile).config!.budgets.latency).toBe(value);
    }
    for (const text of ['', 'fast', '12 m', '12 s', '0', '-1', '1e3', '12.5 G']) {
      expect(buildConfig(budgeted(text), profile).errors.latency).toBe('Latency: a positive number such as "12.5" (milliseconds).');
    }
  });

  it('refuses a budget the starting network cannot meet, with both numbers', () => {
    const { config, errors, summary } = buildConfig(budgeted((seedMs / 2).toFixed(2)), profile);
    expect(config).toBeNull();
    expect(errors.latency).toBe(`The starting network (seed structure) needs ${seedMs.toFixed(2)} ms but the budget is ${(seedMs / 2).toFixed(2)} ms; it must fit every budget.`);
    expect(summary).toBe(errors.latency);
  });

  it('without a usable profile, says why beside the budget', () => {
    const text = String(2 * seedMs);
    expect(buildConfig(budgeted(text, ''), null).errors.latency).toBe('Latency: a latency budget needs a device profile. Profile this device first (under the set-up).');
    expect(buildConfig(budgeted(text, 'wasm 4T · 224 px · elsewhere'), null).errors.latency).toBe(
      'Latency: the profile “wasm 4T · 224 px · elsewhere” named in the set-up is not stored on this device. Profile this device, or load the profile’s file (under the set-up).',
    );
    expect(buildConfig(budgeted(text), 'loading').errors.latency).toBe('Latency: reading the device profiles stored in this browser…');
    const partial = partialProfile(profile.name);
    expect(buildConfig(budgeted(text), partial).errors.latency).toBe(`Latency: the profile “${profile.name}” is partial (${partial.units.length} of ${partial.plan.units} units measured). Resume it first.`);
  });

  it('is off by default; off, the config carries no profile though the set-up names one', () => {
    expect(presetDraft('detection-r50').budgets.latency).toEqual({ on: false, text: '' });
    const draft = { ...presetDraft('detection-r50'), latencyProfile: profile.name };
    draft.budgets.latency.text = '12';
    expect(buildConfig(draft, profile)).toEqual(buildConfig(presetDraft('detection-r50')));
    // a partial active profile does not stop a search without a latency budget
    expect(buildConfig(draft, partialProfile(profile.name)).config).toEqual(presetConfig('detection-r50'));
  });

  it('the URL carries the budget and the profile’s name, never the profile', () => {
    const draft = budgeted('42.5');
    const hash = draftToHash(draft);
    expect(draftFromHash(hash)).toEqual(draft);
    expect(decodeURIComponent(hash)).toContain(`"latencyProfile":"${profile.name}"`);
    expect(hash).not.toContain('maedet-studio-latency-profile');
    expect(hash.length).toBeLessThan(1000);
  });

  it('a URL from before the latency budget opens with it off and no profile named', () => {
    const before = { ...presetDraft('detection-r50'), budgets: { flops: { on: true, text: '18.8 G' }, params: { on: false, text: '' }, layers: { on: true, text: '91' } } } as Partial<ConfigDraft>;
    delete before.latencyProfile;
    const draft = draftFromHash(`#config=${encodeURIComponent(JSON.stringify(before))}`)!;
    expect(draft.budgets.latency).toEqual({ on: false, text: '' });
    expect(draft.latencyProfile).toBe('');
    expect(buildConfig(draft).config).toEqual(buildConfig(presetDraft('detection-r50')).config);
  });
});

describe('the form and the engine read one table of fields', () => {
  /** the form's number fields and the config fields they set */
  const FORM_FIELDS = [
    ['imageSize', 'imageSize'],
    ['popuSize', 'search.popuSize'],
    ['children', 'search.numRandomNets'],
    ['seed', 'search.seed'],
    ['workers', 'search.workers'],
  ] as const;
  const ENTROPY_FIELDS = [
    ['batch', 'score.entropy.batch'],
    ['resolution', 'score.entropy.resolution'],
    ['repeats', 'score.entropy.repeats'],
    ['childrenPerCall', 'score.entropy.childrenPerCall'],
  ] as const;

  /** a config with `value` at a dotted path */
  const withValue = (config: RunConfig, path: string, value: unknown): unknown => {
    const copy = structuredClone(config) as unknown as Record<string, Record<string, unknown>>;
    const keys = path.split('.');
    let o: Record<string, unknown> = copy;
    for (const key of keys.slice(0, -1)) o = o[key] as Record<string, unknown>;
    o[keys[keys.length - 1]] = value;
    return copy;
  };
  const engineAccepts = (config: unknown) => {
    try {
      validateConfig(config);
      return true;
    } catch {
      return false;
    }
  };
  /** values near and beyond every limit, and fractions */
  const values = (path: FieldPath) => {
    const f = CONFIG_FIELDS[path] as NumberField;
    return fc.oneof(fc.integer({ min: f.min - 3, max: Math.min(f.max, f.min + 40) }), fc.integer({ min: Math.max(f.min, f.max - 3), max: f.max + 3 }), fc.double({ min: f.min - 1, max: Math.min(f.max + 1, 1e6), noNaN: true }).filter((v) => !Object.is(v, -0)));
  };

  it.each(FORM_FIELDS)('%s: a value the form accepts is one the engine accepts, and the other way round', (key, path) => {
    fc.assert(
      fc.property(values(path), (value) => {
        const draft = presetDraft('detection-r50');
        draft.workers = '1';
        draft[key] = String(value);
        const base = presetConfig('detection-r50');
        const form = buildConfig(draft);
        expect(form.config !== null).toBe(engineAccepts(withValue(base, path, value)));
        if (form.config) expect(form.config).toEqual(validateConfig(withValue(base, path, value)));
      }),
    );
  });

  it.each(ENTROPY_FIELDS)('measured entropy %s: the form accepts what the engine accepts', (key, path) => {
    fc.assert(
      fc.property(values(path), (value) => {
        const draft = { ...presetDraft('detection-r50'), workers: '1', objective: 'entropy' as const };
        draft.entropy = { ...draft.entropy, [key]: String(value) };
        const base = presetConfig('detection-r50');
        base.score.type = 'entropy';
        expect(buildConfig(draft).config !== null).toBe(engineAccepts(withValue(base, path, value)));
      }),
    );
  });

  it('form → URL → form → config round-trips', () => {
    const text = fc.oneof(fc.integer({ min: -5, max: 300_000 }).map(String), fc.constantFrom('', '1,000', ' 7 ', 'x', '2.5'));
    fc.assert(
      fc.property(
        fc.record({ imageSize: text, popuSize: text, children: text, seed: text, workers: text, batch: text, resolution: text, repeats: text, childrenPerCall: text, objective: fc.constantFrom('madnas' as const, 'entropy' as const), draw: fc.constantFrom('inclusive' as const, 'main' as const) }),
        ({ batch, resolution, repeats, childrenPerCall, ...fields }) => {
          const draft = { ...presetDraft('detection-r50'), ...fields, entropy: { batch, resolution, repeats, childrenPerCall } };
          const back = draftFromHash(draftToHash(draft))!;
          expect(back).toEqual(draft);
          expect(buildConfig(back)).toEqual(buildConfig(draft));
        },
      ),
    );
  });

  it('a version-1 URL (before children per call) opens the same set-up', () => {
    const v1 = { preset: 'detection-r50', space: 'k1kxk1', imageSize: '480', budgets: { flops: { on: true, text: '18.8 G' }, params: { on: false, text: '' }, layers: { on: true, text: '91' } }, ratio: ['0', '0', '1', '1', '6'], popuSize: '256', children: '5000', seed: '3', workers: '1', objective: 'entropy', entropy: { batch: '2', resolution: '64', repeats: '1' }, draw: 'inclusive', seedNet: 'r50_det_seed', pastedSeed: '' };
    const draft = draftFromHash(`#config=${encodeURIComponent(JSON.stringify(v1))}`)!;
    const { config } = buildConfig(draft);
    expect(config!.search).toMatchObject({ numRandomNets: 5000, seed: 3, workers: 1 });
    expect(config!.score.entropy).toEqual({ batch: 2, resolution: 64, repeats: 1, bn: false, relu: false, childrenPerCall: 4 });
  });
});

describe('chart data', () => {
  it('formatCount writes thousands as en-US does', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e15, noNaN: true }), (v) => {
        expect(formatCount(v)).toBe(Math.round(v).toLocaleString('en-US'));
      }),
    );
  });
  it('stableDomain pads to nice numbers and survives degenerate input', () => {
    expect(stableDomain(null, [0, 100])).toEqual([-20, 120]);
    expect(stableDomain(null, [])).toEqual([0, 1]);
    expect(stableDomain(null, [NaN, Infinity])).toEqual([0, 1]);
    const [lo, hi] = stableDomain(null, [7, 7]);
    expect(lo).toBeLessThan(7);
    expect(hi).toBeGreaterThan(7);
  });
  it('axisTicks gives round ticks inside the domain', () => {
    expect(axisTicks([0, 100_000])).toEqual([0, 20_000, 40_000, 60_000, 80_000, 100_000]);
    expect(axisTicks([2065, 2120])).toEqual([2070, 2080, 2090, 2100, 2110, 2120]);
    expect(axisTicks([0.1, 0.4])).toEqual([0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]);
    fc.assert(
      fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), fc.double({ min: 1e-3, max: 1e12, noNaN: true }), (lo, span) => {
        const ticks = axisTicks([lo, lo + span]);
        expect(ticks.length).toBeGreaterThanOrEqual(2);
        expect(ticks.length).toBeLessThanOrEqual(11);
        for (const t of ticks) expect(t >= lo - 1e-9 * Math.abs(lo) && t <= lo + span + 1e-9 * Math.abs(lo + span)).toBe(true);
      }),
    );
  });
  it('stableDomain keeps the same axis while the values stay inside and fill half of it', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e12, max: 1e12, noNaN: true }), { minLength: 1, maxLength: 50 }), fc.array(fc.double({ min: -1e12, max: 1e12, noNaN: true }), { minLength: 1, maxLength: 50 }), (first, next) => {
        const a = stableDomain(null, first);
        const b = stableDomain(a, next);
        for (const v of [...next]) expect(v >= b[0] && v <= b[1]).toBe(true);
        const inside = Math.min(...next) >= a[0] && Math.max(...next) <= a[1] && Math.max(...next) - Math.min(...next) >= 0.5 * (a[1] - a[0]);
        if (inside) expect(b).toBe(a);
        // a new axis is a new array only when it differs
        else expect(b === a).toBe(b[0] === a[0] && b[1] === a[1]);
      }),
    );
  });
});
