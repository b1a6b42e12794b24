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
  key: string;
}

export function toMember(record: MemberRecord): Member {
  return { ...record, key: structureKey(record.structure) };
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

  constructor(readonly size: number) {}

  get members(): readonly Member[] {
    return this.list;
  }

  get length(): number {
    return this.list.length;
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

  insert(m: Member): void {
    const list = this.list;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid].score >= m.score) lo = mid + 1;
      else hi = mid;
    }
    if (lo === list.length) list.push(m);
    else list.splice(lo, 0, m);
    const n = (this.counts.get(m.key) ?? 0) + 1;
    this.counts.set(m.key, n);
    if (n > 1) this.duplicates++;
  }

  /** `rank_population(maintain_popu=True)`: de-duplicate, keep the best `size`. */
  rank(): void {
    if (this.duplicates > 0) {
      const seen = new Set<string>();
      this.list = this.list.filter((m) => {
        if (seen.has(m.key)) return false;
        seen.add(m.key);
        return true;
      });
      for (const key of seen) this.counts.set(key, 1);
      this.duplicates = 0;
    }
    while (this.list.length > this.size) {
      const m = this.list.pop()!;
      this.counts.delete(m.key);
    }
  }

  /** `merge_shared_data`: add another population's members, then rank. */
  merge(records: readonly MemberRecord[]): void {
    for (const r of records) this.insert(toMember(r));
    this.rank();
  }

  records(): MemberRecord[] {
    return this.list.map(toRecord);
  }
}
