// The constraint form's store: its named actions edit the draft, and the draft builds the config
// a user means (or says what is wrong).
import { beforeEach, describe, expect, it } from 'vitest';
import { presetConfig } from '../../app/engine/config';
import { buildConfig, defaultWorkers, presetDraft } from '../../app/ui/configForm';
import { useConfigStore } from '../../app/ui/stores/configStore';

const draft = () => useConfigStore.getState().draft;
const actions = () => useConfigStore.getState();

beforeEach(() => actions().choosePreset('detection-r50'));

describe('config store', () => {
  it('starts from a preset with one worker per core', () => {
    expect(draft()).toEqual(presetDraft('detection-r50'));
    expect(buildConfig(draft()).config!.search.workers).toBe(defaultWorkers());
  });
  it('choosePreset replaces the whole draft', () => {
    actions().setField('seed', '42');
    actions().choosePreset('detection-r101');
    expect(draft().seed).toBe('0');
    expect(buildConfig(draft()).config!.budgets).toEqual(presetConfig('detection-r101').budgets);
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
});
