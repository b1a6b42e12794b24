/**
 * The device profiles kept in this browser: IndexedDB through idb-keyval, in a database of their
 * own, one record per profile name, complete and partial ones alike. A record made here also
 * keeps the set-up and plan it ran, so a partial profile resumes with the very same plan. Records
 * are read back through the engine's readers (and their migration chains), as a file is; one that
 * cannot be read stays stored and is reported, never dropped silently.
 */
import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import { validateConfig, type RunConfig } from '../engine/config';
import { readProfile, type LatencyProfile } from '../engine/latency/profile';

export interface StoredProfile {
  profile: LatencyProfile;
  /** the set-up whose plan it ran and whether that was the quick plan; null for a loaded file */
  plan: { config: RunConfig; quick: boolean } | null;
}

let database: UseStore | undefined;
// opened on first use: a page that never profiles never opens it
const profiles = () => (database ??= createStore('maedet-studio-latency', 'profiles'));

export async function storeProfile(record: StoredProfile): Promise<void> {
  await set(record.profile.name, record, profiles());
}

export async function forgetProfile(name: string): Promise<void> {
  await del(name, profiles());
}

function readRecord(value: unknown): StoredProfile {
  const record = value as { profile?: unknown; plan?: { config?: unknown; quick?: unknown } | null };
  const profile = readProfile(record.profile);
  const plan = record.plan ? { config: validateConfig(record.plan.config), quick: record.plan.quick === true } : null;
  return { profile, plan };
}

/** every stored profile, newest first, and a sentence for each record that cannot be read */
export async function readStoredProfiles(): Promise<{ stored: StoredProfile[]; unreadable: string[] }> {
  const stored: StoredProfile[] = [];
  const unreadable: string[] = [];
  for (const [key, value] of await entries(profiles())) {
    try {
      stored.push(readRecord(value));
    } catch (e) {
      unreadable.push(`The stored profile “${String(key)}” cannot be read: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  stored.sort((a, b) => b.profile.date.localeCompare(a.profile.date));
  return { stored, unreadable };
}
