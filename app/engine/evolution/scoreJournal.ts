/**
 * A measured search's journal: its scores, call by call, written as they come in, so a killed run
 * can be resumed. The search is a fixed function of its config, seed and scores, so replaying the
 * recorded scores in order rebuilds it exactly — the same children proposed, the same population
 * — and the resumed run measures only the calls the journal lacks. Each entry also holds a digest
 * of the structures it scored: a journal replayed by another version of the search (or edited) is
 * refused at the first call that differs, never silently merged.
 *
 * The text is JSON lines: a header (format, version, the run's id, config and backend), then one
 * line per scoring call. A last line cut short by a kill is dropped; any other bad line is an
 * error naming the line.
 */
import type { Structure } from '../block';
import { validateConfig, type RunConfig } from '../config';
import { NODE_BACKENDS, type NodeBackend } from '../entropy';
import { ConfigError, describeValue } from '../errors';
import { upgrade, type FormatVersions } from '../migrate';
import { FAILED_SCORE } from '../scores';
import { structureKey } from '../structure';
import type { StructureScorer } from './measuredSearch';

const JOURNAL_FORMAT = 'maedet-studio-score-journal';
export const JOURNAL_VERSIONS: FormatVersions = { name: 'score journal', current: 1, steps: {} };

export interface JournalHeader {
  /** names the run's queue jobs, so a resumed run finds the jobs its first life sent */
  runId: string;
  config: RunConfig;
  backend: NodeBackend;
}

export interface JournalEntry {
  /** the scoring call's index: 0 is the seed's */
  call: number;
  digest: string;
  scores: number[];
}

export interface Journal {
  header: JournalHeader;
  entries: Map<number, JournalEntry>;
}

/** FNV-1a (32 bits) of the structures' keys: enough to tell another run's call from this one's */
export function structuresDigest(structures: readonly Structure[]): string {
  let hash = 0x811c9dc5;
  for (const structure of structures) {
    for (const ch of `${structureKey(structure)}\n`) {
      hash ^= ch.charCodeAt(0);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  }
  return hash.toString(16).padStart(8, '0');
}

export function journalHeaderLine(header: JournalHeader): string {
  return `${JSON.stringify({ format: JOURNAL_FORMAT, version: JOURNAL_VERSIONS.current, ...header })}\n`;
}

export function journalEntryLine(entry: JournalEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

function readEntry(value: unknown, line: number): JournalEntry {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { call, digest, scores } = record;
  if (typeof call !== 'number' || !Number.isInteger(call) || call < 0) throw new ConfigError(`journal line ${line}.call`, `found ${describeValue(call)}, expected a call index ≥ 0`);
  if (typeof digest !== 'string') throw new ConfigError(`journal line ${line}.digest`, `found ${describeValue(digest)}, expected the structures' digest`);
  if (!Array.isArray(scores) || scores.some((s) => typeof s !== 'number' || !Number.isFinite(s))) throw new ConfigError(`journal line ${line}.scores`, `found ${describeValue(scores)}, expected a list of finite scores`);
  return { call, digest, scores };
}

/** Read a journal's text (see the file's comment); throws a ConfigError naming the line. */
export function readJournal(text: string): Journal {
  const lines = text.split('\n');
  // a kill can cut the last line short; every line before it was written whole
  const last = lines.pop()!;
  if (last !== '') {
    try {
      JSON.parse(last);
      lines.push(last);
    } catch {
      // dropped: that call is measured again
    }
  }
  const parse = (line: string, i: number): unknown => {
    try {
      return JSON.parse(line);
    } catch (e) {
      throw new ConfigError(`journal line ${i + 1}`, `not JSON (${(e as Error).message})`);
    }
  };
  if (lines.length === 0) throw new ConfigError('journal', 'empty; expected a header line');
  const head = parse(lines[0], 0) as Record<string, unknown> | null;
  if (typeof head !== 'object' || head === null || head.format !== JOURNAL_FORMAT) throw new ConfigError('journal line 1.format', `found ${describeValue(head?.format)}, expected "${JOURNAL_FORMAT}"`);
  const header = upgrade(JOURNAL_VERSIONS, head, 'journal line 1.version');
  if (typeof header.runId !== 'string' || !/^[\w-]{1,64}$/.test(header.runId)) throw new ConfigError('journal line 1.runId', `found ${describeValue(header.runId)}, expected the run's id`);
  if (!NODE_BACKENDS.includes(header.backend as NodeBackend)) throw new ConfigError('journal line 1.backend', `found ${describeValue(header.backend)}, expected ${NODE_BACKENDS.join(' or ')}`);
  let config: RunConfig;
  try {
    config = validateConfig(header.config);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`journal line 1.config.${e.path}`, e.reason);
    throw e;
  }
  const entries = new Map<number, JournalEntry>();
  lines.slice(1).forEach((line, i) => {
    const entry = readEntry(parse(line, i + 1), i + 2);
    entries.set(entry.call, entry);
  });
  return { header: { runId: header.runId, config, backend: header.backend as NodeBackend }, entries };
}

/**
 * `score` behind the journal: a call the journal holds is answered from it (after checking its
 * digest), any other is measured and handed to `record`.
 */
export function journaledScorer(score: StructureScorer, recorded: ReadonlyMap<number, JournalEntry>, record: (entry: JournalEntry) => void): { score: StructureScorer; replayed: () => number } {
  let replayed = 0;
  return {
    replayed: () => replayed,
    async score(structures, call) {
      const digest = structuresDigest(structures);
      const known = recorded.get(call);
      if (known) {
        if (known.digest !== digest || known.scores.length !== structures.length) {
          throw new ConfigError('journal', `call ${call} recorded other structures than this run proposes: the journal was written by another version of MAE-DET Studio or changed since`);
        }
        replayed++;
        return known.scores;
      }
      const scores = await score(structures, call);
      // as the search merges them: a score that is not a number is the reference's −9999
      record({ call, digest, scores: scores.map((s) => (Number.isFinite(s) ? s : FAILED_SCORE)) });
      return scores;
    },
  };
}
