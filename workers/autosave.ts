/**
 * The autosaved run in IndexedDB (one slot, written by the search worker every few seconds, on
 * pause and at the end). A live run is kept as a snapshot it resumes from exactly; a finished one
 * as a run file. Records are versioned and read through the migration chains of every format they
 * hold, so an upgrade never drops a user's run; one that truly cannot be read stays where it is
 * until the user has been told why and offered its raw text.
 */
import { del, get, set } from 'idb-keyval';
import { readRunSnapshot, type RunSnapshot } from '../app/engine/evolution/driver';
import { upgrade, type FormatVersions } from '../app/engine/migrate';
import { readRun, type RunFile } from '../app/engine/runFile';

export const AUTOSAVE_VERSION = 1;
const KEY = 'maedet-studio/autosave';

/** the autosave record's versions: 1 is the first */
export const AUTOSAVE_VERSIONS: FormatVersions = { name: 'autosave', current: AUTOSAVE_VERSION, steps: {} };

export type SavedRun =
  | { version: typeof AUTOSAVE_VERSION; savedAt: number; seconds: number; status: 'running' | 'paused'; snapshot: RunSnapshot }
  | { version: typeof AUTOSAVE_VERSION; savedAt: number; status: 'done' | 'stopped'; run: RunFile };

/** an autosave this version cannot read (the record stays stored) */
export class UnreadableSave extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UnreadableSave';
  }
}

export async function saveRun(record: SavedRun): Promise<void> {
  await set(KEY, record);
}

export async function forgetRun(): Promise<void> {
  await del(KEY);
}

/** a stored record (any version) as the current one, its run or snapshot migrated and checked */
export function readSavedRun(stored: unknown): SavedRun {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) throw new Error('the record is not an object');
  const record = upgrade(AUTOSAVE_VERSIONS, stored as Record<string, unknown>);
  const savedAt = typeof record.savedAt === 'number' ? record.savedAt : 0;
  if (record.status === 'running' || record.status === 'paused') {
    const seconds = typeof record.seconds === 'number' && Number.isFinite(record.seconds) ? record.seconds : 0;
    return { version: AUTOSAVE_VERSION, savedAt, seconds, status: record.status, snapshot: readRunSnapshot(record.snapshot) };
  }
  if (record.status === 'done' || record.status === 'stopped') return { version: AUTOSAVE_VERSION, savedAt, status: record.status, run: readRun(record.run) };
  throw new Error(`status: found ${JSON.stringify(record.status)}, expected running, paused, done or stopped`);
}

/** the saved run, null when there is none; an UnreadableSave (the record kept) when it cannot be read */
export async function loadSavedRun(): Promise<SavedRun | null> {
  const stored: unknown = await get(KEY);
  if (stored === undefined) return null;
  try {
    return readSavedRun(stored);
  } catch (e) {
    throw new UnreadableSave(e instanceof Error ? e.message : String(e));
  }
}

/** the stored record as JSON text (typed arrays as lists), for the user to keep; null when there is none */
export async function savedRecordText(): Promise<string | null> {
  const stored: unknown = await get(KEY);
  if (stored === undefined) return null;
  return JSON.stringify(stored, (_key, value: unknown) => (ArrayBuffer.isView(value) && !(value instanceof DataView) ? Array.from(value as unknown as ArrayLike<number>) : value), 1);
}
