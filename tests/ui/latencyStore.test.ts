// The latency store's profiles as the profile panel drives them: files loaded (or refused with the
// reader's reason), names kept unique, the active profile chosen, records kept in IndexedDB (from
// fake-indexeddb) and read back, deleted; a profile the browser cannot resume is refused in words.
import 'fake-indexeddb/auto';
import { createStore, set } from 'idb-keyval';
import { beforeEach, describe, expect, it } from 'vitest';
import { useConfigStore } from '../../app/ui/stores/configStore';
import { useLatencyStore } from '../../app/ui/stores/latencyStore';
import { partialProfile, syntheticProfile } from './latencyProfile';

const store = () => useLatencyStore.getState();
const names = () => store().stored!.map((r) => r.profile.name);
const active = () => useConfigStore.getState().draft.latencyProfile;
const fileOf = (value: unknown) => JSON.stringify(value);

/** a fresh page: the stored profiles read again from IndexedDB */
async function reload() {
  useLatencyStore.setState({ stored: null, error: null, notice: null });
  await store().readStored();
}

beforeEach(async () => {
  await reload();
  for (const name of names()) await store().removeProfile(name);
  useLatencyStore.setState({ error: null, notice: null });
});

describe('the latency store', () => {
  it('stores a loaded profile, makes it active, and reads it back on the next page', async () => {
    const profile = syntheticProfile('wasm 2T · 224 px · 2026-12-06');
    await store().loadProfileFile(fileOf(profile));
    expect(store().notice).toBe('Loaded “wasm 2T · 224 px · 2026-12-06”.');
    expect(active()).toBe(profile.name);
    await reload();
    expect(store().stored).toEqual([{ profile, plan: null }]);
    await store().loadProfileFile(fileOf(profile));
    expect(store().notice).toBe('“wasm 2T · 224 px · 2026-12-06” is already stored.');
    expect(names()).toEqual([profile.name]);
  });

  it('refuses a malformed or foreign file with the reader’s reason, and keeps what it had', async () => {
    const profile = syntheticProfile('kept');
    await store().loadProfileFile(fileOf(profile));
    const broken = { ...profile, units: profile.units.map((u, i) => (i === 3 ? { ...u, ms: -2 } : u)) };
    await store().loadProfileFile(fileOf(broken));
    expect(store().error).toEqual({ origin: 'profile', message: 'This file cannot be loaded as a latency profile: units[3].ms: found -2, expected a time in ms (≥ 0).' });
    await store().loadProfileFile('{"version": 2');
    expect(store().error!.message).toMatch(/^This file cannot be loaded as a latency profile: profile: not JSON \(.+\)\.$/);
    await store().loadProfileFile(fileOf({ version: 3, imageSize: 480 }));
    expect(store().error!.message).toContain('this is not a MAE-DET Studio latency profile');
    expect(names()).toEqual(['kept']);
  });

  it('keeps names unique: another profile of a stored name is renamed', async () => {
    const first = syntheticProfile('same');
    await store().loadProfileFile(fileOf(first));
    await store().loadProfileFile(fileOf({ ...first, seconds: 99 }));
    expect(store().notice).toBe('Loaded “same (2)” (another profile of the same name is stored).');
    expect(names().sort()).toEqual(['same', 'same (2)']);
    expect(active()).toBe('same (2)');
  });

  it('stores a partial profile without making it active, and deleting the active profile leaves none active', async () => {
    await store().loadProfileFile(fileOf(syntheticProfile('complete')));
    await store().loadProfileFile(fileOf(partialProfile('partial')));
    expect(store().notice).toBe('Loaded “partial”; it is partial: resume it to use it.');
    expect(active()).toBe('complete');
    await store().removeProfile('complete');
    expect(active()).toBe('');
    await reload();
    expect(names()).toEqual(['partial']);
  });

  it('reports a stored record it cannot read, and reads the others', async () => {
    await store().loadProfileFile(fileOf(syntheticProfile('good')));
    await set('bad', { profile: { format: 'maedet-studio-latency-profile', version: 1 } }, createStore('maedet-studio-latency', 'profiles'));
    await reload();
    expect(names()).toEqual(['good']);
    expect(store().error!.message).toMatch(/^The stored profile “bad” cannot be read: /);
  });

  it('refuses to resume in the browser a profile measured by the command line', async () => {
    const cli = partialProfile('cpu 2T · 224 px');
    await store().loadProfileFile(fileOf({ ...cli, device: { ...cli.device, backend: 'cpu', runtime: 'onnxruntime-node 1.30.0' } }));
    await store().resumeProfile('cpu 2T · 224 px', null);
    expect(store().error!.message).toBe('The profile “cpu 2T · 224 px” was measured on cpu (the command line’s onnxruntime-node), which a browser cannot run: profile this device to measure here.');
    expect(store().job).toBeNull();
  });
});
