// The constraint form's store: its named actions edit the draft, and the draft builds the config
// a user means (or says what is wrong).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { presetConfig } from '../../app/engine/config';
import { buildConfig, defaultWorkers, presetDraft } from '../../app/ui/configForm';
import { useConfigStore } from '../../app/ui/stores/configStore';

const draft = () => useConfigStore.getState().draft;
const actions = () => useConfigStore.getState();

beforeEach(() => actions().choosePreset('detection-r50'));

describe('config store', () => {
  it('starts from a preset with the default worker count', () => {
    expect(draft()).toEqual(presetDraft('detection-r50'));
    expect(buildConfig(draft()).config!.search.workers).toBe(defaultWorkers());
  });
  it('leaves the page a core: one worker per core but one, at least one, at most 16', () => {
    const workersOn = (cores: number | undefined) => {
      vi.stubGlobal('navigator', { hardwareConcurrency: cores });
      try {
        return defaultWorkers();
      } finally {
        vi.unstubAllGlobals();
      }
    };
    expect([undefined, 1, 2, 3, 4, 8, 17, 64].map(workersOn)).toEqual([1, 1, 1, 2, 3, 7, 16, 16]);
  });
  it('choosePreset replaces the whole draft', () => {
    actions().setField('seed', '42');
    actions().choosePreset('detection-r101');
    expect(draft().seed).toBe('0');
    expect(buildConfig(draft()).config!.budgets).toEqual(presetConfig('detection-r101').budgets);
  });
  it('the active profile is the device’s, not the set-up’s: a preset keeps it, chooseProfile changes it', () => {
    actions().chooseProfile('wasm 2T · 224 px · 2026-12-06');
    actions().choosePreset('detection-r101');
    expect(draft().latencyProfile).toBe('wasm 2T · 224 px · 2026-12-06');
    actions().chooseProfile('');
    expect(draft().latencyProfile).toBe('');
  });
  it('setBudget switches a budget off and on, keeping its text', () => {
    actions().setBudget('flops', { on: false });
    expect(buildConfig(draft()).config!.budgets.flops).toBeNull();
    actions().setBudget('flops', { text: '12.5 G' });
    actions().setBudget('flops', { on: true });
    expect(buildConfig(draft()).config!.budgets.flops).toBe(12.5e9);
  });
  it('setRatio edits one stage weight, and a bad one is named', () => {
    actions().setRatio(4, '8');
    expect(buildConfig(draft()).config!.score.multiBlockRatio).toEqual([0, 0, 1, 1, 8]);
    actions().setRatio(2, '-1');
    expect(buildConfig(draft()).errors).toEqual({ ratio: 'Stage weights: five numbers ≥ 0.' });
  });
  it('a bad worker count gets its reason', () => {
    actions().setField('workers', '0');
    expect(buildConfig(draft()).errors.workers).toBe('Workers: a whole number from 1 to 64.');
    actions().setField('workers', '3');
    expect(buildConfig(draft()).config!.search.workers).toBe(3);
  });
  it('the measured-entropy objective builds its settings, and names a bad one', () => {
    actions().setField('objective', 'entropy');
    actions().setField('workers', '1');
    actions().setField('entropy', { batch: '4', resolution: '160', repeats: '2', childrenPerCall: '4' });
    expect(buildConfig(draft()).config!.score).toMatchObject({ type: 'entropy', entropy: { batch: 4, resolution: 160, repeats: 2, bn: false, relu: false } });
    actions().setField('entropy', { batch: '4', resolution: '16', repeats: '2', childrenPerCall: '4' });
    expect(buildConfig(draft()).errors.entropy).toBe('Measured entropy resolution: a whole number from 32 to 2,048.');
    actions().setField('entropy', { batch: '4', resolution: '160', repeats: '2', childrenPerCall: '4' });
    actions().setField('workers', '2');
    expect(buildConfig(draft()).errors.workers).toMatch(/a measured-entropy search runs as one search/);
  });
});
