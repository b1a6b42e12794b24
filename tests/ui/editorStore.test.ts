// The architecture editor's state: edits go through the engine's checks, a refused edit leaves the
// network as it was and says why (and at which field), and undo/redo walk the history; what its
// number fields accept, and which key presses undo and redo.
import { macroStructure } from '../../app/engine/benchmark/nasBenchMacro';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyEdit, viewEdited } from '../../app/engine/edit';
import { budgetsOf, presetConfig } from '../../app/engine/config';
import { evaluateStructure } from '../../app/engine/evaluate';
import { spaceOf } from '../../app/engine/spaces';
import { flopsAt, params } from '../../app/engine/cost';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { expectedNumber, historyShortcut, readWholeNumber, useEditorStore } from '../../app/ui/stores/editorStore';

const maedetS = findReferenceNetwork('maedet_s')!.structure;
const editor = () => useEditorStore.getState();

beforeEach(() => editor().open(maedetS));

describe('editor store', () => {
  it('an edit changes the network, and keeps the channel chain', () => {
    editor().edit({ type: 'set', block: 4, key: 'L', value: 4 });
    expect(editor().structure[4].L).toBe(4);
    expect(editor().original).toBe(maedetS);
    expect(params(editor().structure)).toBeLessThan(params(maedetS));
    editor().edit({ type: 'set', block: 2, key: 'out', value: 256 });
    expect(editor().structure[3].in).toBe(256);
    expect(editor().error).toBeNull();
  });

  it('an invalid edit is refused with the reason, and the network is unchanged', () => {
    const before = editor().structure;
    editor().edit({ type: 'set', block: 3, key: 'k', value: 4 });
    expect(editor().structure).toBe(before);
    expect(editor().error).toBe("block 3 (SuperResK1KXK1), key 'k': found 4, expected an odd kernel size");
    editor().edit({ type: 'remove', block: 0 });
    expect(editor().error).toBe('the stem cannot be removed');
    editor().edit({ type: 'set', block: 0, key: 'L', value: 2 });
    expect(editor().error).toBe("block 0 (ConvKXBNRELU) has no 'L'");
    expect(editor().structure).toBe(before);
  });

  it('a refused edit names its field, until the field is reverted or the network changes', () => {
    editor().edit({ type: 'set', block: 2, key: 'out', value: 0 });
    expect(editor().error).toBe("block 2 (SuperResK1KXK1), key 'out': found 0, expected an integer from 1 to 65534");
    expect(editor().errorAt).toEqual({ block: 2, key: 'out' });
    editor().dismissError();
    expect(editor().error).toBeNull();
    expect(editor().errorAt).toBeNull();
    editor().edit({ type: 'set', block: 3, key: 'L', value: 513 });
    expect(editor().errorAt).toEqual({ block: 3, key: 'L' });
    editor().edit({ type: 'set', block: 3, key: 'L', value: 512 });
    expect(editor().errorAt).toBeNull();
    // an insert or a removal has no field to point at
    editor().edit({ type: 'remove', block: 0 });
    expect(editor().error).toBe('the stem cannot be removed');
    expect(editor().errorAt).toBeNull();
    editor().edit({ type: 'set', block: 1, key: 'btn', value: 0 });
    editor().undo();
    expect(editor().errorAt).toBeNull();
    editor().edit({ type: 'set', block: 1, key: 'btn', value: 0 });
    editor().open(maedetS);
    expect(editor().errorAt).toBeNull();
  });

  it('undo and redo walk the history; a new edit drops the redo branch', () => {
    editor().edit({ type: 'set', block: 4, key: 'L', value: 4 });
    const afterFirst = editor().structure;
    editor().edit({ type: 'set', block: 4, key: 'k', value: 5 });
    editor().undo();
    expect(editor().structure).toBe(afterFirst);
    editor().undo();
    expect(editor().structure).toBe(maedetS);
    editor().undo();
    expect(editor().structure).toBe(maedetS);
    editor().redo();
    expect(editor().structure).toBe(afterFirst);
    editor().edit({ type: 'set', block: 1, key: 'btn', value: 40 });
    expect(editor().future).toEqual([]);
  });

  it('inserts, removes and changes the class of blocks', () => {
    editor().edit({ type: 'insert', after: 3 });
    expect(editor().structure).toHaveLength(6);
    expect(editor().structure[4]).toMatchObject({ class: 'SuperResK1KXK1', in: 1024, out: 1024, s: 1 });
    editor().edit({ type: 'remove', block: 4 });
    expect(editor().structure).toEqual(maedetS);
    editor().edit({ type: 'class', block: 2, className: 'SuperResKXKX' });
    expect(editor().structure[2].class).toBe('SuperResKXKX');
    expect(flopsAt(editor().structure, 480)).not.toBe(flopsAt(maedetS, 480));
  });

  it('applyEdit never changes the structure it is given', () => {
    const copy = structuredClone(maedetS);
    for (const edit of [{ type: 'set', block: 4, key: 'out', value: 1024 }, { type: 'insert', after: 2 }, { type: 'remove', block: 3 }, { type: 'set', block: 2, key: 's', value: 3 }] as const) applyEdit(maedetS, edit);
    expect(maedetS).toEqual(copy);
  });
});

describe('what the editor shows of an edited network', () => {
  const budgets = budgetsOf(presetConfig('detection-r50'));

  it('equals the engine report, budget check and space for MAE-DET-S and -M', () => {
    const view = viewEdited(maedetS, 480, [0, 0, 1, 1, 6], budgets);
    expect(view.report).toEqual(evaluateStructure(maedetS, 480, [0, 0, 1, 1, 6]));
    expect(typeof view.report !== 'string' && view.report.madnas).toBeCloseTo(1731.9070099667, 9);
    expect(view.violations).toEqual([]);
    expect(view.space).toEqual({ space: 'k1kxk1' });
    // spec §9: MAE-DET-M is over the detection config's FLOPs budget (20.30e9 > 18.8e9)
    const m = viewEdited(findReferenceNetwork('maedet_m')!.structure, 480, [0, 0, 1, 1, 6], budgets);
    expect(m.violations).toEqual([{ key: 'flops', value: 20_299_923_000, budget: 18.8e9 }]);
  });

  it('a stride edit that changes the stage count gives the reason instead of a report', () => {
    const result = applyEdit(maedetS, { type: 'set', block: 2, key: 's', value: 1 });
    expect(result.ok).toBe(true);
    const view = viewEdited(result.ok ? result.structure : maedetS, 480, [0, 0, 1, 1, 6], budgets);
    expect(view.report).toBe('the structure has 4 stages (stride-2 blocks after the stem, plus one) but the score weights 5; expected 5 stages');
  });

  it('a network that mixes block classes belongs to no search space, and says which classes', () => {
    const result = applyEdit(maedetS, { type: 'class', block: 2, className: 'SuperResKXKX' });
    expect(result.ok && spaceOf(result.structure)).toEqual({ reason: 'its blocks mix SuperResK1KXK1 and SuperResKXKX, which no search space mutates together' });
    const all = maedetS.map((b) => (b.class === 'ConvKXBNRELU' ? b : { ...b, class: 'SuperResK1DWK1' as const }));
    expect(spaceOf(all)).toEqual({ space: 'k1dwk1' });
    // NAS-Bench-Macro's two classes belong to its space together
    expect(spaceOf(macroStructure('01201201'))).toEqual({ space: 'macro' });
  });
});

describe("the editor's number fields", () => {
  it('take whole numbers only; anything else is never a number for the engine', () => {
    for (const text of ['', ' ', 'abc', '2.5', '-3', '+3', '1e3', '0x10', '3a', 'NaN', 'Infinity']) expect(readWholeNumber(text)).toBeNull();
    expect(readWholeNumber('3')).toBe(3);
    expect(readWholeNumber(' 24 ')).toBe(24);
    expect(readWholeNumber('007')).toBe(7);
    // the form only: the range is the engine's to refuse, with the block's class and the value found
    expect(readWholeNumber('0')).toBe(0);
  });

  it("say what they expect, naming the block and key, with the engine's limits", () => {
    expect(expectedNumber(3, 'L')).toBe('block 3 L: a whole number from 1 to 512');
    expect(expectedNumber(2, 'out')).toBe('block 2 out: a whole number from 1 to 65534');
    expect(expectedNumber(1, 'btn')).toBe('block 1 btn: a whole number from 1 to 65534');
    expect(applyEdit(maedetS, { type: 'set', block: 3, key: 'L', value: 513 }).ok).toBe(false);
    expect(applyEdit(maedetS, { type: 'set', block: 3, key: 'L', value: 512 }).ok).toBe(true);
  });
});

describe('the history keys', () => {
  const press = (key: string, mods: { ctrl?: boolean; meta?: boolean; shift?: boolean; alt?: boolean; code?: string } = {}) =>
    historyShortcut({ key, code: mods.code ?? `Key${key.toUpperCase()}`, ctrlKey: mods.ctrl ?? false, metaKey: mods.meta ?? false, shiftKey: mods.shift ?? false, altKey: mods.alt ?? false });

  it('Ctrl+Z and Cmd+Z undo, in either case (Caps Lock)', () => {
    expect(press('z', { ctrl: true })).toBe('undo');
    expect(press('z', { meta: true })).toBe('undo');
    expect(press('Z', { ctrl: true })).toBe('undo');
  });

  it('Ctrl+Y, Ctrl+Shift+Z and Cmd+Shift+Z redo', () => {
    expect(press('y', { ctrl: true })).toBe('redo');
    expect(press('Y', { ctrl: true })).toBe('redo');
    expect(press('Z', { ctrl: true, shift: true })).toBe('redo');
    expect(press('z', { ctrl: true, shift: true })).toBe('redo');
    expect(press('Z', { meta: true, shift: true })).toBe('redo');
  });

  it('other keys, no Ctrl or Cmd, and AltGr (Ctrl+Alt) are not history keys', () => {
    expect(press('z')).toBeNull();
    expect(press('Z', { shift: true })).toBeNull();
    expect(press('x', { ctrl: true })).toBeNull();
    expect(press('z', { ctrl: true, alt: true })).toBeNull();
  });

  it("go by the layout's letter, and by the key's position only when the layout has no Latin letter", () => {
    // QWERTZ: Z is where QWERTY has Y
    expect(press('z', { ctrl: true, code: 'KeyY' })).toBe('undo');
    expect(press('y', { ctrl: true, code: 'KeyZ' })).toBe('redo');
    // Russian: я and н at Z's and Y's positions
    expect(press('я', { ctrl: true, code: 'KeyZ' })).toBe('undo');
    expect(press('Я', { ctrl: true, shift: true, code: 'KeyZ' })).toBe('redo');
    expect(press('н', { ctrl: true, code: 'KeyY' })).toBe('redo');
  });
});
