/**
 * A saved format's versions as a chain of steps, version n → n + 1, that every reader of the
 * format applies in order: whatever an earlier version wrote (a config, a run file, an autosave,
 * a snapshot, a sidecar) is read as the current version. A record from a newer version is refused
 * with a sentence saying so; nothing is dropped for being old.
 */
import { ConfigError, describeValue } from './errors';

export type SavedRecord = Record<string, unknown>;

export interface FormatVersions {
  /** what people call it in a message ("config", "run file") */
  name: string;
  /** the version this code writes */
  current: number;
  /** `steps[n]` turns a version-n record into a version n + 1 one (without setting `version`) */
  steps: Readonly<Record<number, (record: SavedRecord) => SavedRecord>>;
  /** the version of a record that has none (the first version did not write one) */
  unversioned?: number;
}

/** the oldest version a format reads: the first step's, or the current one when it has none */
function oldest(format: FormatVersions): number {
  const versions = Object.keys(format.steps).map(Number);
  return versions.length > 0 ? Math.min(...versions) : format.current;
}

/** `record` (any version this code reads) as the current version; `path` locates its version field in messages */
export function upgrade(format: FormatVersions, record: SavedRecord, path = 'version'): SavedRecord {
  const version = record.version ?? format.unversioned;
  const first = oldest(format);
  if (typeof version !== 'number' || !Number.isInteger(version) || version < first) {
    throw new ConfigError(path, `found ${describeValue(version)}, expected a ${format.name} version from ${first} to ${format.current}`);
  }
  if (version > format.current) throw new ConfigError(path, `found ${version}: this ${format.name} was written by a newer MAE-DET Studio (this one reads up to version ${format.current})`);
  let upgraded = record;
  for (let v = version; v < format.current; v++) upgraded = { ...format.steps[v](upgraded), version: v + 1 };
  return upgraded.version === format.current ? upgraded : { ...upgraded, version: format.current };
}
