/**
 * Reading, checking and writing structures: TinyNAS result files (`{'best_structures': [[...]],
 * 'space_arch': 'CnnNet'}`), bare Python-literal lists (maedet branch), and JSON. Every problem is
 * reported with the block index, the key, what was found and what was expected.
 */
import { ACTIVATIONS, type Activation, type Block, type Structure } from './block';
import { findBlockKind, BLOCK_KINDS } from './blocks/registry';
import { describeValue, StructureError } from './errors';
import { formatPyPretty, parsePyLiteral, type PyDict, type PyValue } from './pyliteral';

export { structureKey } from './blockCodes';
/** Keys the reference writes or accepts that do not change the network here. */
const IGNORED_KEYS = new Set(['inner_class', 'force_resproj_skip']);
const KNOWN_KEYS = ['class', 'in', 'out', 's', 'k', 'p', 'g', 'btn', 'L', 'act'];
/** Bounds that keep every computation finite and every network buildable. */
// channels stay below 0xFFFF, the 'absent' code of blockCodes.ts
export const LIMITS = { channels: 65534, kernel: 63, depth: 512, blocks: 64 } as const;

export interface ParsedStructures {
  structures: Structure[];
  /** `space_arch` of a TinyNAS file, when present */
  spaceArch: string | undefined;
}

function isDict(v: PyValue): v is PyDict {
  return v instanceof Map;
}

function where(index: number, cls?: string): string {
  return cls ? `block ${index} (${cls})` : `block ${index}`;
}

function readInt(dict: PyDict, index: number, cls: string, key: string, min: number, max: number, required: boolean): number | undefined {
  const v = dict.get(key);
  if (v === undefined) {
    if (required) throw new StructureError(`${where(index, cls)}: missing key '${key}'; expected an integer from ${min} to ${max}`, { blockIndex: index, key });
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new StructureError(`${where(index, cls)}, key '${key}': found ${describeValue(v)}, expected an integer from ${min} to ${max}`, { blockIndex: index, key });
  }
  return v;
}

/** Check one raw block dict and return it as a `Block` (class aliases mapped to main's names). */
function readBlock(raw: PyValue, index: number): Block {
  if (!isDict(raw)) throw new StructureError(`block ${index}: found ${describeValue(raw)}, expected a dict with keys such as 'class', 'in', 'out'`, { blockIndex: index });
  const cls = raw.get('class');
  if (cls === undefined) throw new StructureError(`block ${index}: missing key 'class'; expected one of ${Object.keys(BLOCK_KINDS).join(', ')}`, { blockIndex: index, key: 'class' });
  const kind = typeof cls === 'string' ? findBlockKind(cls) : undefined;
  if (!kind) {
    const inner = typeof cls === 'string' && /^Res/.test(cls) ? ` (${cls} is an inner block; use its SuperRes form with L)` : '';
    throw new StructureError(`block ${index}, key 'class': found ${describeValue(cls)}, expected one of ${Object.keys(BLOCK_KINDS).join(', ')}${inner}`, { blockIndex: index, key: 'class' });
  }
  const name = kind.className;
  for (const key of raw.keys()) {
    if (key === 'nbitsA' || key === 'nbitsW') throw new StructureError(`${where(index, name)}, key '${key}': quantised blocks are not supported; remove '${key}'`, { blockIndex: index, key });
    if (!KNOWN_KEYS.includes(key) && !IGNORED_KEYS.has(key)) throw new StructureError(`${where(index, name)}: unknown key '${key}'; expected keys ${KNOWN_KEYS.join(', ')}`, { blockIndex: index, key });
    if (!kind.isSuper && (key === 'btn' || key === 'L')) throw new StructureError(`${where(index, name)}: key '${key}' belongs to SuperRes blocks; ${name} has no '${key}'`, { blockIndex: index, key });
  }
  const block: Block = {
    class: name,
    in: readInt(raw, index, name, 'in', 1, LIMITS.channels, true)!,
    out: readInt(raw, index, name, 'out', 1, LIMITS.channels, true)!,
    s: 1,
    k: readInt(raw, index, name, 'k', 1, LIMITS.kernel, true)!,
  };
  const s = raw.get('s');
  if (s !== undefined) {
    if (s !== 1 && s !== 2) throw new StructureError(`${where(index, name)}, key 's': found ${describeValue(s)}, expected 1 or 2`, { blockIndex: index, key: 's' });
    block.s = s;
  }
  if (block.k % 2 === 0) throw new StructureError(`${where(index, name)}, key 'k': found ${block.k}, expected an odd kernel size`, { blockIndex: index, key: 'k' });
  if (kind.isSuper) {
    block.L = readInt(raw, index, name, 'L', 1, LIMITS.depth, true);
    block.btn = readInt(raw, index, name, 'btn', 1, LIMITS.channels, true);
  }
  const p = readInt(raw, index, name, 'p', 0, LIMITS.kernel, false);
  if (p !== undefined) block.p = p;
  const g = readInt(raw, index, name, 'g', 1, LIMITS.channels, false);
  if (g !== undefined) {
    for (const key of ['in', 'out', 'btn'] as const) {
      const c = block[key];
      if (c !== undefined && c % g !== 0) throw new StructureError(`${where(index, name)}, key 'g': found ${g}, expected a divisor of '${key}' (${c})`, { blockIndex: index, key: 'g' });
    }
    block.g = g;
  }
  const act = raw.get('act');
  if (act !== undefined) {
    if (typeof act !== 'string' || !(ACTIVATIONS as readonly string[]).includes(act)) {
      throw new StructureError(`${where(index, name)}, key 'act': found ${describeValue(act)}, expected one of ${ACTIVATIONS.join(', ')}`, { blockIndex: index, key: 'act' });
    }
    block.act = act as Activation;
  }
  return block;
}

/** Check a raw block list: every block, and the channel chain `in[i] == out[i-1]`. */
export function readStructure(raw: PyValue): Structure {
  if (!Array.isArray(raw)) throw new StructureError(`found ${describeValue(raw)}, expected a list of blocks`);
  if (raw.length === 0) throw new StructureError('the structure has no blocks; expected a stem and at least one more block');
  if (raw.length > LIMITS.blocks) throw new StructureError(`the structure has ${raw.length} blocks; at most ${LIMITS.blocks} are supported`);
  const blocks = raw.map(readBlock);
  checkStructure(blocks);
  return blocks;
}

/** Structural checks shared by the reader and by programmatic edits. */
export function checkStructure(blocks: Structure): void {
  for (let i = 1; i < blocks.length; i++) {
    if (blocks[i].in !== blocks[i - 1].out) {
      throw new StructureError(
        `${where(i, blocks[i].class)}, key 'in': found ${blocks[i].in}, expected ${blocks[i - 1].out} (the 'out' of block ${i - 1}); the channel chain is broken`,
        { blockIndex: i, key: 'in' },
      );
    }
  }
}

/** Read every structure in a file: a TinyNAS result dict, a bare list, a list of lists, or JSON. */
export function parseStructures(text: string): ParsedStructures {
  const value = parsePyLiteral(text);
  if (isDict(value)) {
    const listKey = ['best_structures', 'structures', 'structure'].find((k) => value.has(k));
    if (listKey === undefined) {
      throw new StructureError(`found a dict with keys ${[...value.keys()].map((k) => `'${k}'`).join(', ') || '(none)'}, expected 'best_structures' (a TinyNAS result file) or a list of blocks`);
    }
    const spaceArch = value.get('space_arch');
    if (spaceArch !== undefined && spaceArch !== 'CnnNet') throw new StructureError(`key 'space_arch': found ${describeValue(spaceArch)}, expected 'CnnNet'`, { key: 'space_arch' });
    return { structures: readList(value.get(listKey)!, listKey), spaceArch: spaceArch ?? undefined };
  }
  return { structures: readList(value), spaceArch: undefined };
}

function readList(value: PyValue, key?: string): Structure[] {
  if (key !== undefined && !Array.isArray(value)) throw new StructureError(`key '${key}': found ${describeValue(value)}, expected a list of structures`, { key });
  if (Array.isArray(value) && value.length > 0 && value.every(Array.isArray)) return value.map(readStructure);
  return [readStructure(value)];
}

/** The first (best) structure of a file. */
export function parseStructure(text: string): Structure {
  return parseStructures(text).structures[0];
}

/** A block as a Python dict in the reference's key order. */
function blockToPy(b: Block): PyDict {
  const d: PyDict = new Map<string, PyValue>([
    ['class', b.class],
    ['in', b.in],
    ['out', b.out],
    ['s', b.s],
    ['k', b.k],
  ]);
  if (b.L !== undefined) d.set('L', b.L);
  if (b.btn !== undefined) d.set('btn', b.btn);
  if (b.p !== undefined) d.set('p', b.p);
  if (b.g !== undefined) d.set('g', b.g);
  if (b.act !== undefined) d.set('act', b.act);
  return d;
}

/** TinyNAS's own `best_structure.txt` format, loadable by the authors' deploy code. */
export function toTinyNAS(structures: Structure[]): string {
  return `${formatPyPretty(new Map<string, PyValue>([['space_arch', 'CnnNet'], ['best_structures', structures.map((s) => s.map(blockToPy))]]))}\n`;
}

/** A bare Python list (the maedet branch's format). */
export function toPythonList(structure: Structure): string {
  return `${formatPyPretty(structure.map(blockToPy))}\n`;
}

/** JSON: an array of block objects, one block per line. */
export function toJSON(structure: Structure): string {
  const lines = structure.map((b) => `  ${JSON.stringify(Object.fromEntries(blockToPy(b)))}`);
  return `[\n${lines.join(',\n')}\n]\n`;
}

/** One key of one block that differs between two structures. */
export interface BlockChange {
  block: number;
  key: string;
  from: number | string | undefined;
  to: number | string | undefined;
}

/**
 * What differs between two structures of the same length, block by block and key by key (a
 * mutation changes a block's own keys, and an `out` change moves the next block's `in` with it).
 */
export function structureChanges(from: Structure, to: Structure): BlockChange[] {
  if (from.length !== to.length) throw new StructureError(`the structures have ${from.length} and ${to.length} blocks; expected the same number`);
  const valueOf = (b: Block, key: string) => (b as unknown as Record<string, number | string | undefined>)[key];
  const changes: BlockChange[] = [];
  for (const [block, a] of from.entries()) {
    for (const key of KNOWN_KEYS) {
      const before = valueOf(a, key);
      const after = valueOf(to[block], key);
      if (before !== after) changes.push({ block, key, from: before, to: after });
    }
  }
  return changes;
}
