/**
 * Members packed into one Float64Array, so a population crosses a thread boundary as a single
 * transferable buffer instead of thousands of small cloned objects (the structured clone of a
 * 256-member population costs more than the 256 children it took to make it).
 * Layout: member count, then per member: score, flops, params, layers, efficientScore (NaN when
 * absent), block count, and the block codes of blockCodes.ts.
 */
import { BLOCK_CODES, keyOfCodes, readBlockCodes, writeBlockCodes } from '../blockCodes';
import type { Block } from '../block';
import type { Member } from './population';

const HEADER = 6;

export function encodeMembers(members: readonly Member[]): Float64Array<ArrayBuffer> {
  let size = 1;
  for (const m of members) size += HEADER + BLOCK_CODES * m.structure.length;
  const out = new Float64Array(size);
  let o = 0;
  out[o++] = members.length;
  for (const m of members) {
    out[o++] = m.score;
    out[o++] = m.flops;
    out[o++] = m.params;
    out[o++] = m.layers;
    out[o++] = m.efficientScore ?? NaN;
    out[o++] = m.structure.length;
    for (const b of m.structure) {
      writeBlockCodes(b, out, o);
      o += BLOCK_CODES;
    }
  }
  return out;
}

/**
 * Unpack members. Each member's identity key is read straight from its block codes; members for
 * which `isKnown(key)` is true are skipped without being built (a population absorbing another
 * mostly holds them already).
 */
export function decodeMembers(data: Float64Array, isKnown: (key: string) => boolean = () => false): Member[] {
  let o = 0;
  const count = data[o++];
  const members: Member[] = [];
  for (let i = 0; i < count; i++) {
    const n = data[o + 5];
    const codesStart = o + HEADER;
    const codesEnd = codesStart + n * BLOCK_CODES;
    const key = keyOfCodes(data.subarray(codesStart, codesEnd));
    if (!isKnown(key)) {
      const structure: Block[] = [];
      for (let c = codesStart; c < codesEnd; c += BLOCK_CODES) structure.push(readBlockCodes(data, c));
      const m: Member = { structure, key, score: data[o], flops: data[o + 1], params: data[o + 2], layers: data[o + 3] };
      if (!Number.isNaN(data[o + 4])) m.efficientScore = data[o + 4];
      members.push(m);
    }
    o = codesEnd;
  }
  return members;
}
