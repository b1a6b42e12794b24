/**
 * The population (§6.3): budget-satisfying members kept by score. Ranking keeps one copy of each
 * distinct structure, sorts by score and truncates to the population size. Members are kept
 * sorted on insertion, so ranking costs only the removal of duplicates and of the tail.
 */
import type { Structure } from '../block';
import type { Costs } from '../budgets';
import type { Rng } from '../rng';
import { structureKey } from '../structure';

/** A member as it crosses workers and files: plain data. */
export interface MemberRecord extends Costs {
  structure: Structure;
  score: number;
}

export interface Member extends MemberRecord {
  /** structure identity; computed on first insertion */
  key?: string;
}

export function toRecord(m: Member): MemberRecord {
  const { key: _key, ...record } = m;
  return record;
}

export class Population {
  /** sorted by score, best first; equal scores in insertion order */
  private list: Member[] = [];
  private readonly counts = new Map<string, number>();
  private duplicates = 0;
  private changes = 0;

  constructor(readonly size: number) {}

  /** grows whenever the members change, so a reader can skip re-sending an unchanged population */
  get version(): number {
    return this.changes;
  }

  get members(): readonly Member[] {
    return this.list;
  }

  get length(): number {
    return this.list.length;
  }

  /** whether a structure with this key is a member */
  has(key: string): boolean {
    return this.counts.has(key);
  }

  best(): Member | undefined {
    return this.list[0];
  }

  median(): Member | undefined {
    return this.list[Math.floor((this.list.length - 1) / 2)];
  }

  /** a uniformly drawn member; duplicates that have not been ranked away count, as in the reference */
  pick(rng: Rng): Member {
    return this.list[rng.int(this.list.length)];
  }

  /**
   * Add a member. When the population is full and nothing awaits de-duplication, the next ranking
   * would at once drop a member that is a duplicate or scores no better than the last, so such a
   * member is not inserted at all — same population, less work.
   */
  insert(m: Member): void {
    const list = this.list;
    const full = list.length >= this.size && this.duplicates === 0;
    if (full && m.score <= list[list.length - 1].score) return;
    const key = (m.key ??= structureKey(m.structure));
    if (full && this.counts.has(key)) return;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid].score >= m.score) lo = mid + 1;
      else hi = mid;
    }
    if (lo === list.length) list.push(m);
    else list.splice(lo, 0, m);
    this.changes++;
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    if (n > 1) this.duplicates++;
  }

  /** `rank_population(maintain_popu=True)`: de-duplicate, keep the best `size`. */
  rank(): void {
    if (this.duplicates > 0) {
      const seen = new Set<string>();
      this.list = this.list.filter((m) => {
        if (seen.has(m.key!)) return false;
        seen.add(m.key!);
        return true;
      });
      for (const key of seen) this.counts.set(key, 1);
      this.duplicates = 0;
    }
    while (this.list.length > this.size) {
      const m = this.list.pop()!;
      this.counts.delete(m.key!);
    }
  }

  /**
   * `merge_shared_data`: add another population's members, then rank. Members already present are
   * skipped (ranking would drop them), the rest are sorted and merged in one linear pass.
   */
  merge(members: readonly Member[]): void {
    this.rank();
    const fresh: Member[] = [];
    for (const m of members) {
      const key = (m.key ??= structureKey(m.structure));
      if (this.counts.has(key)) continue;
      this.counts.set(key, 1);
      fresh.push(m);
    }
    if (fresh.length === 0) return;
    fresh.sort((a, b) => b.score - a.score);
    const old = this.list;
    const merged: Member[] = [];
    let i = 0;
    let j = 0;
    while (i < old.length || j < fresh.length) {
      // existing members first among equal scores, as insertion does
      if (j >= fresh.length || (i < old.length && old[i].score >= fresh[j].score)) merged.push(old[i++]);
      else merged.push(fresh[j++]);
    }
    this.list = merged;
    this.changes++;
    this.rank();
  }

  /** every member as plain data, duplicates awaiting a ranking included (for exact snapshots) */
  records(): MemberRecord[] {
    return this.list.map(toRecord);
  }

  /** the members a ranking would keep (one per structure, the best `size`), without ranking */
  ranking(): MemberRecord[] {
    if (this.duplicates === 0 && this.list.length <= this.size) return this.records();
    const seen = new Set<string>();
    const out: MemberRecord[] = [];
    for (const m of this.list) {
      if (out.length === this.size) break;
      if (seen.has(m.key!)) continue;
      seen.add(m.key!);
      out.push(toRecord(m));
    }
    return out;
  }
}
