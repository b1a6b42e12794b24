/**
 * The autosaved run in IndexedDB (one slot, written by the search worker every few seconds, on
 * pause and at the end). A live run is kept as a snapshot it resumes from exactly; a finished one
 * as a run file. Records are versioned; one that cannot be read is reported, then dropped.
 */
import { del, get, set } from 'idb-keyval';
import type { IslandsSnapshot, IslandsSnapshotV1 } from '../app/engine/evolution/islands';
import type { SearchSnapshot } from '../app/engine/evolution/search';
import { RUN_FORMAT, type RunFile } from '../app/engine/runFile';

export const AUTOSAVE_VERSION = 1;
const KEY = 'maedet-studio/autosave';

/** either engine snapshot: one search, or islands */
/** what an autosave of a live run holds (an islands snapshot of any version: it is migrated when read) */
export type RunSnapshot = SearchSnapshot | IslandsSnapshot | IslandsSnapshotV1;

export type SavedRun =
  | { version: typeof AUTOSAVE_VERSION; savedAt: number; seconds: number; status: 'running' | 'paused'; snapshot: RunSnapshot }
  | { version: typeof AUTOSAVE_VERSION; savedAt: number; status: 'done' | 'stopped'; run: RunFile };

export async function saveRun(record: SavedRun): Promise<void> {
  await set(KEY, record);
}

export async function forgetRun(): Promise<void> {
  await del(KEY);
}

/** the saved run, null when there is none; throws (after dropping it) when it cannot be read */
export async function loadSavedRun(): Promise<SavedRun | null> {
  const record: unknown = await get(KEY);
  if (record === undefined) return null;
  const r = record as Partial<SavedRun> & { run?: Partial<RunFile>; snapshot?: unknown };
  const live = (r.status === 'running' || r.status === 'paused') && typeof r.snapshot === 'object' && r.snapshot !== null;
  const finished = (r.status === 'done' || r.status === 'stopped') && r.run?.format === RUN_FORMAT;
  if (r.version !== AUTOSAVE_VERSION || !(live || finished)) {
    await forgetRun();
    throw new Error(r.version !== AUTOSAVE_VERSION ? `it was saved by another version of the studio (format ${String(r.version)}, this one reads ${AUTOSAVE_VERSION})` : 'the record is damaged');
  }
  return r as SavedRun;
}
