/**
 * Members as columns in one ArrayBuffer, so a population crosses a thread boundary as a single
 * transferable buffer instead of thousands of small cloned objects (the structured clone of a
 * 256-member population costs more than the 256 children it took to make it), and so a reader
 * that only needs scores and costs (the page's charts) reads typed arrays and builds no member.
 * Layout: five Float64 columns (score, flops, params, layers, efficientScore — NaN when absent),
 * then each member's first block (Uint32, count + 1 entries), then every block's codes (Uint16,
 * blockCodes.ts; every code is below 2¹⁶).
 */
import { BLOCK_CODES, keyOfCodes, readBlockCodes, writeBlockCodes } from '../blockCodes';
import type { Block } from '../block';
import type { Member, MemberRecord } from './population';

export interface MemberColumns {
  readonly count: number;
  readonly score: Float64Array<ArrayBuffer>;
  readonly flops: Float64Array<ArrayBuffer>;
  readonly params: Float64Array<ArrayBuffer>;
  readonly layers: Float64Array<ArrayBuffer>;
  readonly efficientScore: Float64Array<ArrayBuffer>;
  /** member i's blocks are blocks blockStart[i] … blockStart[i + 1] − 1 */
  readonly blockStart: Uint32Array<ArrayBuffer>;
  readonly codes: Uint16Array<ArrayBuffer>;
}

const COST_COLUMNS = 5;

function view(buffer: ArrayBuffer, count: number, blocks: number): MemberColumns {
  const f64 = (i: number) => new Float64Array(buffer, i * count * 8, count);
  const startsAt = COST_COLUMNS * count * 8;
  const codesAt = startsAt + (count + 1) * 4;
  return {
    count,
    score: f64(0),
    flops: f64(1),
    params: f64(2),
    layers: f64(3),
    efficientScore: f64(4),
    blockStart: new Uint32Array(buffer, startsAt, count + 1),
    codes: new Uint16Array(buffer, codesAt, blocks * BLOCK_CODES),
  };
}

export function encodeMembers(members: readonly MemberRecord[]): MemberColumns {
  let blocks = 0;
  for (const m of members) blocks += m.structure.length;
  const count = members.length;
  const c = view(new ArrayBuffer(COST_COLUMNS * count * 8 + (count + 1) * 4 + blocks * BLOCK_CODES * 2), count, blocks);
  let block = 0;
  members.forEach((m, i) => {
    c.score[i] = m.score;
    c.flops[i] = m.flops;
    c.params[i] = m.params;
    c.layers[i] = m.layers;
    c.efficientScore[i] = m.efficientScore ?? NaN;
    c.blockStart[i] = block;
    for (const b of m.structure) writeBlockCodes(b, c.codes, block++ * BLOCK_CODES);
  });
  c.blockStart[count] = block;
  return c;
}

/** the one buffer to transfer (all columns are views of it) */
export const transferablesOf = (c: MemberColumns): ArrayBuffer[] => [c.score.buffer];

export const NO_MEMBERS: MemberColumns = encodeMembers([]);

function codesOf(c: MemberColumns, i: number): Uint16Array {
  return c.codes.subarray(c.blockStart[i] * BLOCK_CODES, c.blockStart[i + 1] * BLOCK_CODES);
}

/** member i, built from its columns */
export function memberAt(c: MemberColumns, i: number, key?: string): Member {
  const codes = codesOf(c, i);
  const structure: Block[] = [];
  for (let o = 0; o < codes.length; o += BLOCK_CODES) structure.push(readBlockCodes(codes, o));
  const m: Member = { structure, score: c.score[i], flops: c.flops[i], params: c.params[i], layers: c.layers[i] };
  if (key !== undefined) m.key = key;
  if (!Number.isNaN(c.efficientScore[i])) m.efficientScore = c.efficientScore[i];
  return m;
}

/**
 * Unpack members. Each member's identity key is read straight from its block codes; members for
 * which `isKnown(key)` is true are skipped without being built (a population absorbing another
 * mostly holds them already).
 */
export function decodeMembers(c: MemberColumns, isKnown: (key: string) => boolean = () => false): Member[] {
  const members: Member[] = [];
  for (let i = 0; i < c.count; i++) {
    const key = keyOfCodes(codesOf(c, i));
    if (!isKnown(key)) members.push(memberAt(c, i, key));
  }
  return members;
}

/** the first `n` members (the best, for a ranked population) */
export function firstMembers(c: MemberColumns, n: number): MemberRecord[] {
  return Array.from({ length: Math.min(n, c.count) }, (_, i) => memberAt(c, i));
}

/**
 * Members from the row-packed layout of islands snapshots version 1: the count, then per member
 * score, flops, params, layers, efficientScore (NaN when absent), block count and block codes.
 */
export function readPackedRows(data: Float64Array): MemberRecord[] {
  const members: MemberRecord[] = [];
  let o = 1;
  for (let i = 0; i < data[0]; i++) {
    const blocks = data[o + 5];
    const structure: Block[] = [];
    for (let b = 0; b < blocks; b++) structure.push(readBlockCodes(data, o + 6 + b * BLOCK_CODES));
    const m: MemberRecord = { structure, score: data[o], flops: data[o + 1], params: data[o + 2], layers: data[o + 3] };
    if (!Number.isNaN(data[o + 4])) m.efficientScore = data[o + 4];
    members.push(m);
    o += 6 + blocks * BLOCK_CODES;
  }
  return members;
}
