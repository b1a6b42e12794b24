/**
 * A block as ten small integers (class, in, out, s, k, btn, L, p, g, act; 0xFFFF for an absent
 * key). Used for structure identity keys (one UTF-16 code unit per integer: short, exact, cheap)
 * and for packing populations into transferable buffers.
 */
import { ACTIVATIONS, type Block, type BlockClass } from './block';
import { BLOCK_KINDS } from './blocks/registry';

export const BLOCK_CODES = 10;
const ABSENT = 0xffff;

const CLASSES = Object.keys(BLOCK_KINDS) as BlockClass[];
const CLASS_INDEX = Object.fromEntries(CLASSES.map((c, i) => [c, i])) as Record<BlockClass, number>;

export function writeBlockCodes(b: Block, out: { [i: number]: number }, o: number): void {
  out[o] = CLASS_INDEX[b.class];
  out[o + 1] = b.in;
  out[o + 2] = b.out;
  out[o + 3] = b.s;
  out[o + 4] = b.k;
  out[o + 5] = b.btn ?? ABSENT;
  out[o + 6] = b.L ?? ABSENT;
  out[o + 7] = b.p ?? ABSENT;
  out[o + 8] = b.g ?? ABSENT;
  out[o + 9] = b.act === undefined ? ABSENT : ACTIVATIONS.indexOf(b.act);
}

/**
 * The block back from its codes. `| 0` keeps every field a small integer even when the codes
 * come from a Float64Array: blocks with double-typed fields get another object shape, and the
 * search's hot code then runs several times slower on them.
 */
export function readBlockCodes(codes: ArrayLike<number>, o: number): Block {
  const b: Block = { class: CLASSES[codes[o]], in: codes[o + 1] | 0, out: codes[o + 2] | 0, s: (codes[o + 3] | 0) as 1 | 2, k: codes[o + 4] | 0 };
  if (codes[o + 5] !== ABSENT) b.btn = codes[o + 5] | 0;
  if (codes[o + 6] !== ABSENT) b.L = codes[o + 6] | 0;
  if (codes[o + 7] !== ABSENT) b.p = codes[o + 7] | 0;
  if (codes[o + 8] !== ABSENT) b.g = codes[o + 8] | 0;
  if (codes[o + 9] !== ABSENT) b.act = ACTIVATIONS[codes[o + 9]];
  return b;
}

const scratch = new Uint16Array(BLOCK_CODES * 64);

/** Identity of a structure for de-duplication (the reference compares Python `str()` of the list). */
export function structureKey(structure: readonly Block[]): string {
  const codes = structure.length * BLOCK_CODES <= scratch.length ? scratch : new Uint16Array(structure.length * BLOCK_CODES);
  for (let i = 0; i < structure.length; i++) writeBlockCodes(structure[i], codes, i * BLOCK_CODES);
  return keyOfCodes(codes.subarray(0, structure.length * BLOCK_CODES));
}

/** The key of a structure given as its block codes (one UTF-16 code unit per code). */
export function keyOfCodes(codes: ArrayLike<number>): string {
  return String.fromCharCode.apply(null, codes as number[]);
}
