// Mutation (spec §5): properties of `mutate` for every search space, and the per-rule examples of
// §5.2–§5.5 driven by a scripted random source.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Block, Structure } from '../../app/engine/block';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { Rng } from '../../app/engine/rng';
import { smartRound } from '../../app/engine/rounding';
import { SPACES } from '../../app/engine/spaces/index';
import type { MutationContext, SearchSpace, SpaceName } from '../../app/engine/spaces/index';
import { adjustStructure, mutate, type BlockDraw, type MutateOptions } from '../../app/engine/spaces/mutate';

const r50Seed = findReferenceNetwork('r50_det_seed')!.structure;
const r50Seed5 = findReferenceNetwork('r50_det_seed_5block')!.structure;

/** Per-space constants, as the spec states them (§5.1, §5.5). */
interface SpaceRules {
  maxChannel: number;
  kernels: readonly number[];
  /** L cap of block 1 */
  firstCap: number;
  /** conv layers per inner block (the divisor of budget_layers) */
  layersPerInner: number;
  /** blocks outside the depth share (the n - x of the L cap) */
  fixedBlocks: number;
  /** 'btn >= out/10' restored after a mutation of the block */
  btnTenth: boolean;
  /** the 'out' mutation lowers the next block's btn in the list (kxkx/k1kx) */
  lowersNextBtn: boolean;
  /** the last block is never mutated, whatever the draw (k1dwk1) */
  lastFrozen: boolean;
}
/** the spaces of TinyNAS's super blocks (the benchmark's macro space has its own tests: benchmark.test.ts) */
type SuperBlockSpace = Exclude<SpaceName, 'macro'>;
const RULES: Record<SuperBlockSpace, SpaceRules> = {
  k1kxk1: { maxChannel: 2048, kernels: [3, 5], firstCap: 3, layersPerInner: 3, fixedBlocks: 2, btnTenth: true, lowersNextBtn: false, lastFrozen: false },
  kxkx: { maxChannel: 2048, kernels: [3], firstCap: 2, layersPerInner: 2, fixedBlocks: 2, btnTenth: true, lowersNextBtn: true, lastFrozen: false },
  k1kx: { maxChannel: 2048, kernels: [3], firstCap: 2, layersPerInner: 2, fixedBlocks: 2, btnTenth: true, lowersNextBtn: true, lastFrozen: false },
  k1dwk1: { maxChannel: 1280, kernels: [3, 5], firstCap: 3, layersPerInner: 3, fixedBlocks: 3, btnTenth: false, lowersNextBtn: false, lastFrozen: true },
};
const BTN_RATIOS = [1.5, 2, 2.5, 3, 3.5, 4, 5, 6];
const STEM_MAX = 32;

function options(space: SearchSpace, over: Partial<MutateOptions> = {}): MutateOptions {
  return { space, imageSize: 480, budgetLayers: undefined, draw: 'inclusive', blocksPerChild: 2, excludeStem: false, minor: false, ...over };
}

function deepFreeze(s: Structure): Structure {
  for (const b of s) Object.freeze(b);
  return Object.freeze(s) as unknown as Structure;
}

const clone = (s: Structure): Structure => s.map((b) => ({ ...b }));

/** the fields a mutator changes ('in' follows the chain) */
const changed = (a: Block, b: Block) => a.out !== b.out || a.k !== b.k || a.btn !== b.btn || a.L !== b.L;

// ---------------------------------------------------------------------------------------------
// Parents
// ---------------------------------------------------------------------------------------------

/**
 * A parent valid for `space`: stem 3→c (c ≤ 32, multiple of 8), then super blocks of the space's
 * class, 4 at stride 2 (5 stride-2 blocks with the stem) and optionally one more at stride 1,
 * channels multiples of 8 up to the space maximum, chained. k1dwk1: btn = smartRound(out × ratio).
 */
function arbParent(name: SuperBlockSpace): fc.Arbitrary<Structure> {
  const space = SPACES[name];
  const rules = RULES[name];
  const arbBlock = fc.record({
    out: fc.integer({ min: 1, max: rules.maxChannel / 8 }).map((x) => x * 8),
    k: fc.constantFrom(...rules.kernels),
    L: fc.integer({ min: 1, max: 12 }),
    btnUnits: fc.integer({ min: 1, max: 256 }),
    ratio: fc.constantFrom(...BTN_RATIOS),
  });
  return fc
    .record({
      stemOut: fc.integer({ min: 1, max: STEM_MAX / 8 }).map((x) => x * 8),
      blocks: fc.array(arbBlock, { minLength: 4, maxLength: 4 }),
      extra: fc.option(fc.tuple(fc.integer({ min: 1, max: 5 }), arbBlock), { nil: undefined }),
    })
    .map(({ stemOut, blocks, extra }) => {
      const specs = blocks.map((b) => ({ ...b, s: 2 as 1 | 2 }));
      if (extra) specs.splice(extra[0] - 1, 0, { ...extra[1], s: 1 });
      const s: Structure = [{ class: 'ConvKXBNRELU', in: 3, out: stemOut, s: 2, k: 3 }];
      for (const b of specs) {
        const btn = name === 'k1dwk1' ? smartRound(b.out * b.ratio) : Math.min(b.out, 8 * b.btnUnits);
        s.push({ class: space.blockClasses[0], in: s[s.length - 1].out, out: b.out, s: b.s, k: b.k, L: b.L, btn });
      }
      return s;
    });
}

const arbOptions = fc.record({
  seed: fc.integer(),
  draw: fc.constantFrom<BlockDraw>('inclusive', 'main'),
  minor: fc.boolean(),
  budgetLayers: fc.constantFrom<number | undefined>(undefined, 91),
});

// ---------------------------------------------------------------------------------------------
// The invariants a child must satisfy (only what the rules guarantee)
// ---------------------------------------------------------------------------------------------

function checkChild(name: SuperBlockSpace, parent: Structure, child: Structure, o: MutateOptions): void {
  const rules = RULES[name];
  const n = parent.length;
  // same number of blocks, classes, strides (§5.3 end)
  expect(child.length).toBe(n);
  expect(child.map((b) => b.class)).toEqual(parent.map((b) => b.class));
  expect(child.map((b) => b.s)).toEqual(parent.map((b) => b.s));
  // the stem's input is never touched; the chain is consistent (adjust, §5.4)
  expect(child[0].in).toBe(parent[0].in);
  for (let i = 1; i < n; i++) expect(child[i].in, `in of block ${i}`).toBe(child[i - 1].out);

  let changedBlocks = 0;
  for (let i = 0; i < n; i++) {
    const b = child[i];
    const p = parent[i];
    for (const c of [b.in, b.out, b.btn ?? 8]) {
      expect(Number.isInteger(c) && c > 0).toBe(true);
    }
    // channels stay multiples of 8 (the parents' are, except the stem's 3 input channels)
    expect(b.out % 8).toBe(0);
    if (i > 0) expect(b.in % 8).toBe(0);
    if (b.btn !== undefined) expect(b.btn % 8).toBe(0);
    // at most the space maximum (k1dwk1's btn is out × ratio and may exceed it)
    expect(b.out).toBeLessThanOrEqual(rules.maxChannel);
    if (b.btn !== undefined && name !== 'k1dwk1') expect(b.btn).toBeLessThanOrEqual(rules.maxChannel);
    // kernels only ever from the space's list (adjust does nothing at 480 for k <= 5)
    expect(b.k === p.k || rules.kernels.includes(b.k)).toBe(true);
    if (b.L !== undefined) {
      expect(Number.isInteger(b.L) && b.L >= 1).toBe(true);
      // each of the 2 mutations moves L by at most 2 (then caps may lower it)
      expect(b.L).toBeLessThanOrEqual(p.L! + 2 * o.blocksPerChild);
    }
    if (o.minor) {
      expect(b.k, `minor: k of block ${i}`).toBe(p.k);
      expect(b.L, `minor: L of block ${i}`).toBe(p.L);
    }
    if (!changed(b, p)) continue;
    changedBlocks++;
    if (i === 1 && b.L !== p.L) expect(b.L).toBeLessThanOrEqual(rules.firstCap);
    if (i >= 2 && b.L !== p.L && o.budgetLayers !== undefined && n > rules.fixedBlocks) {
      expect(b.L).toBeLessThanOrEqual(Math.floor(Math.floor(o.budgetLayers / rules.layersPerInner) / (n - rules.fixedBlocks)));
    }
    // btn >= out/10 is restored by the mutation of the block itself; kxkx/k1kx may lower it later
    // through the previous block's 'out' mutation, so it is checked for k1kxk1 only
    if (name === 'k1kxk1' && i > 0) {
      expect(b.btn! >= b.out / 10 || b.btn === smartRound(b.out / 10), `btn of block ${i}: ${b.btn}, out ${b.out}`).toBe(true);
    }
    if (name === 'k1dwk1' && i > 0) {
      expect(BTN_RATIOS.map((r) => smartRound(b.out * r))).toContain(b.btn);
    }
  }
  // the stem stays at most 32 channels
  expect(child[0].out).toBeLessThanOrEqual(STEM_MAX);
  if (o.excludeStem) expect(child[0]).toEqual(parent[0]);
  // two blocks are mutated per child; kxkx/k1kx's 'out' also writes the next block's btn
  if (!rules.lowersNextBtn) expect(changedBlocks).toBeLessThanOrEqual(o.blocksPerChild);

  const last = child[n - 1];
  const parentLast = parent[n - 1];
  if (o.draw === 'main' || rules.lastFrozen) {
    // the last block is never mutated: only 'in' follows the chain (and kxkx's btn lowering)
    expect({ ...last, in: 0, btn: 0 }).toEqual({ ...parentLast, in: 0, btn: 0 });
    if (rules.lowersNextBtn) expect(last.btn!).toBeLessThanOrEqual(parentLast.btn!);
    else expect(last.btn).toBe(parentLast.btn);
  }
}

describe('the invariant checker itself', () => {
  it('rejects children that break a rule', () => {
    const o = options(SPACES.k1kxk1);
    const parent = clone(r50Seed);
    expect(() => checkChild('k1kxk1', parent, clone(parent), o)).not.toThrow();
    const bad: [string, (c: Structure) => void, Partial<MutateOptions>?][] = [
      ['broken chain', (c) => (c[2].in = 200)],
      ['stride changed', (c) => (c[2].s = 1)],
      ['class changed', (c) => (c[2].class = 'SuperResKXKX')],
      ['block dropped', (c) => c.pop()],
      ['not a multiple of 8', (c) => ((c[2].out = 500), (c[3].in = 500))],
      ['over 2048', (c) => (c[5].out = 2056)],
      ['stem over 32', (c) => ((c[0].out = 40), (c[1].in = 40))],
      ['kernel 7', (c) => (c[2].k = 7)],
      ['block 1 L 4', (c) => (c[1].L = 4)],
      ['L over the 91-layer cap', (c) => (c[2].L = 8), { budgetLayers: 91 }],
      ['btn below out/10', (c) => (c[2].btn = 8)],
      ['three blocks changed', (c) => ((c[1].k = 5), (c[2].k = 5), (c[3].k = 5))],
      ['k changed under minor', (c) => (c[2].k = 5), { minor: true }],
      ['last block changed under main', (c) => (c[5].L = 2), { draw: 'main' }],
    ];
    for (const [what, breakIt, over] of bad) {
      const child = clone(parent);
      breakIt(child);
      expect(() => checkChild('k1kxk1', parent, child, { ...o, ...over }), what).toThrow();
    }
    // the 91-layer cap alone (L 6 → 8 is within the ±4 bound, above the cap 7)
    const deep = clone(parent);
    deep[2].L = 6;
    const over = clone(deep);
    over[2].L = 8;
    expect(() => checkChild('k1kxk1', deep, over, o)).not.toThrow();
    expect(() => checkChild('k1kxk1', deep, over, { ...o, budgetLayers: 91 })).toThrow();
  });
});

// ---------------------------------------------------------------------------------------------
// Properties for every space
// ---------------------------------------------------------------------------------------------

describe.each(Object.keys(RULES) as SuperBlockSpace[])('mutate in space %s', (name) => {
  const space = SPACES[name];

  it('children of random parents satisfy the rules; the parent is never modified', () => {
    fc.assert(
      fc.property(arbParent(name), arbOptions, (parentIn, { seed, draw, minor, budgetLayers }) => {
        const snapshot = clone(parentIn);
        const parent = deepFreeze(parentIn);
        const o = options(space, { draw, minor, budgetLayers });
        const child = mutate(parent, Rng.fromSeed(seed), o);
        expect(parent).toEqual(snapshot);
        checkChild(name, snapshot, child, o);
        // the child shares no block object with the parent
        for (let i = 0; i < child.length; i++) expect(child[i]).not.toBe(parent[i]);
      }),
      { numRuns: 250 },
    );
  });

  it('chains of 15 generations keep the rules at every step', () => {
    fc.assert(
      fc.property(arbParent(name), arbOptions, (first, { seed, draw, minor, budgetLayers }) => {
        const rng = Rng.fromSeed(seed);
        let parent = first;
        for (let g = 0; g < 15; g++) {
          const o = options(space, { draw, minor, budgetLayers });
          const snapshot = clone(parent);
          const child = mutate(deepFreeze(parent), rng, o);
          checkChild(name, snapshot, child, o);
          parent = child;
        }
      }),
      { numRuns: 40 },
    );
  });

  it('excludeStem leaves the stem alone', () => {
    fc.assert(
      fc.property(arbParent(name), fc.integer(), (parent, seed) => {
        const o = options(space, { excludeStem: true });
        checkChild(name, parent, mutate(parent, Rng.fromSeed(seed), o), o);
      }),
      { numRuns: 100 },
    );
  });

  it('same seed, same child; a saved Rng state continues the same sequence', () => {
    fc.assert(
      fc.property(arbParent(name), arbOptions, fc.nat({ max: 20 }), (parent, { seed, draw, minor, budgetLayers }, skip) => {
        const o = options(space, { draw, minor, budgetLayers });
        expect(mutate(parent, Rng.fromSeed(seed), o)).toEqual(mutate(parent, Rng.fromSeed(seed), o));

        const rng = Rng.fromSeed(seed);
        for (let i = 0; i < skip; i++) rng.int(1000);
        const state = rng.state();
        const copy = Rng.fromState(state);
        state[0] ^= 1; // the returned state is a copy: changing it changes nothing
        const a = mutate(parent, rng, o);
        const b = mutate(parent, copy, o);
        expect(b).toEqual(a);
        expect(copy.state()).toEqual(rng.state());
        expect(copy.int(1 << 30)).toBe(rng.int(1 << 30));
      }),
      { numRuns: 100 },
    );
  });
});

describe('which blocks are drawn (§5.4)', () => {
  const seeds = Array.from({ length: 300 }, (_, i) => i);
  const lastChanged = (space: SearchSpace, parent: Structure, draw: BlockDraw) =>
    seeds.filter((seed) => changed(mutate(parent, Rng.fromSeed(seed), options(space, { draw }))[parent.length - 1], parent[parent.length - 1])).length;

  it("k1kxk1 'inclusive': the last block is mutated in some children; 'main': never", () => {
    const space = SPACES.k1kxk1;
    const inclusive = lastChanged(space, r50Seed, 'inclusive');
    // P(last block drawn in one of 2 rounds) = 1 - (5/6)^2 ≈ 0.31
    expect(inclusive).toBeGreaterThan(30);
    expect(inclusive).toBeLessThan(150);
    expect(lastChanged(space, r50Seed, 'main')).toBe(0);
  });

  it("kxkx 'inclusive' mutates the last block sometimes", () => {
    const s: Structure = r50Seed.map((b) => (b.class === 'ConvKXBNRELU' ? { ...b } : { ...b, class: 'SuperResKXKX' }));
    expect(lastChanged(SPACES.kxkx, s, 'inclusive')).toBeGreaterThan(30);
  });

  it('k1dwk1 never mutates the last block, whatever the draw', () => {
    const s: Structure = r50Seed.map((b) => (b.class === 'ConvKXBNRELU' ? { ...b } : { ...b, class: 'SuperResK1DWK1', out: Math.min(1280, b.out), btn: smartRound(Math.min(1280, b.out) * 2) }));
    adjustStructure(s, 480);
    expect(lastChanged(SPACES.k1dwk1, s, 'inclusive')).toBe(0);
  });

  it("'main' draws from n-1 indices, 'inclusive' from n", () => {
    for (const [draw, range] of [
      ['main', r50Seed.length - 1],
      ['inclusive', r50Seed.length],
    ] as const) {
      const rng = new ScriptedRng([0, 0.8, 0, 1.25]);
      mutate(r50Seed, rng.asRng(), options(SPACES.k1kxk1, { draw }));
      expect(rng.intRanges).toEqual([range, range]);
      expect(rng.done()).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Rule examples with a scripted random source
// ---------------------------------------------------------------------------------------------

/**
 * Stands in for `Rng`: `choice` returns the next scripted value (which must be in the list) and
 * `int` the next scripted index (which must be in range), so a test fixes every draw.
 */
class ScriptedRng {
  readonly intRanges: number[] = [];
  private readonly script: unknown[];
  constructor(script: readonly unknown[]) {
    this.script = [...script];
  }
  choice<T>(list: readonly T[]): T {
    if (this.script.length === 0) throw new Error(`unscripted choice from [${list.join(', ')}]`);
    const v = this.script.shift() as T;
    if (!list.includes(v)) throw new Error(`scripted ${String(v)} is not in [${list.join(', ')}]`);
    return v;
  }
  int(n: number): number {
    if (this.script.length === 0) throw new Error(`unscripted int(${n})`);
    const v = this.script.shift() as number;
    if (!(Number.isInteger(v) && v >= 0 && v < n)) throw new Error(`scripted ${String(v)} is not in [0, ${n})`);
    this.intRanges.push(n);
    return v;
  }
  done(): boolean {
    return this.script.length === 0;
  }
  asRng(): Rng {
    return this as unknown as Rng;
  }
}

const K = (cin: number, out: number, btn: number, L = 1, k = 3, s: 1 | 2 = 2): Block => ({ class: 'SuperResK1KXK1', in: cin, out, s, k, L, btn });
const stem = (out: number): Block => ({ class: 'ConvKXBNRELU', in: 3, out, s: 2, k: 3 });

/** mutate block `index` of `list` in `space` with the scripted draws; all draws must be used */
function mutateWith(space: SearchSpace, index: number, list: Structure, script: readonly unknown[], over: Partial<MutationContext> = {}): Block {
  const rng = new ScriptedRng(script);
  const before = clone(list);
  const block = space.mutateBlock(index, list, { rng: rng.asRng(), minor: false, budgetLayers: undefined, ...over });
  expect(rng.done()).toBe(true);
  if (!RULES[space.name as SuperBlockSpace].lowersNextBtn) expect(list).toEqual(before);
  return block;
}

describe('space_k1kxk1 rules (§5.3)', () => {
  const space = SPACES.k1kxk1;

  it("'out' is clamped to 4·in", () => {
    // 112 × 1.5 = 168 → min(4·32 = 128) → max(in) → min(next.out) → ≥ smartRound(256/4) = 64
    expect(mutateWith(space, 1, [stem(32), K(32, 112, 32), K(112, 256, 64)], ['out', 1.5]).out).toBe(128);
  });

  it("'out' is clamped to next.out", () => {
    // 512 × 1.5 = 768 → min(1024) → max(256) → min(600)
    expect(mutateWith(space, 2, [stem(32), K(32, 256, 64), K(256, 512, 128), K(512, 600, 128)], ['out', 1.5]).out).toBe(600);
  });

  it("'out' is at least in", () => {
    expect(mutateWith(space, 2, [stem(32), K(32, 256, 64), K(256, 256, 64), K(256, 512, 128)], ['out', 0.5]).out).toBe(256);
  });

  it("'out' below smart_round(next.out / 4) is raised to it (even past 4·in)", () => {
    // 64 × 0.5 = 32 → min(128) → max(32) → min(2048) = 32 < smartRound(512) → 512
    const b = mutateWith(space, 1, [stem(32), K(32, 64, 32), K(64, 2048, 512)], ['out', 0.5]);
    expect(b.out).toBe(512);
    expect(b.btn).toBe(48); // 32 < 512/10 → smartRound(51.2) = 48 (6.4 → 6)
  });

  it("'out' of the last block is capped at the maximum channel 2048", () => {
    expect(mutateWith(space, 5, clone(r50Seed), ['out', 1.5]).out).toBe(2048);
    expect(mutateWith(space, 5, clone(r50Seed), ['out', 0.8]).out).toBe(1640); // 2048 × 0.8 = 1638.4 → 1640
  });

  it("'btn' uses Python rounding: smart_round(1.25 · 16) = 16", () => {
    expect(mutateWith(space, 1, [stem(32), K(32, 128, 16), K(128, 256, 64)], ['btn', 1.25]).btn).toBe(16);
  });

  it("'btn' is at most out", () => {
    expect(mutateWith(space, 1, [stem(32), K(32, 64, 64), K(64, 256, 64)], ['btn', 1.5]).btn).toBe(64);
  });

  it('btn < out/10 is raised to smart_round(out/10)', () => {
    // 256 × 0.5 = 128 < 204.8 → smartRound(204.8) = 208
    expect(mutateWith(space, 5, clone(r50Seed).map((b, i) => (i === 5 ? { ...b, btn: 256 } : b)), ['btn', 0.5]).btn).toBe(208);
    // the rule applies to every method: a 'k' mutation of a block with too small a btn
    const b = mutateWith(space, 1, [stem(32), K(32, 1960, 8), K(1960, 2048, 512)], ['k', 5]);
    expect(b.k).toBe(5);
    expect(b.btn).toBe(192); // smartRound(196) = 192 (24.5 → 24): below out/10, as the rule gives
  });

  it("'k' draws up to twice and keeps the first different kernel, else the last draw", () => {
    const list = [stem(32), K(32, 64, 32), K(64, 256, 64)];
    expect(mutateWith(space, 1, list, ['k', 5]).k).toBe(5);
    expect(mutateWith(space, 1, list, ['k', 3, 5]).k).toBe(5);
    expect(mutateWith(space, 1, list, ['k', 3, 3]).k).toBe(3);
  });

  it("'L' draws a delta up to 4 times; L stays at least 1", () => {
    const list = [stem(32), K(32, 256, 64), K(256, 512, 128, 1), K(512, 1024, 256)];
    expect(mutateWith(space, 2, list, ['L', -2, -1, -2, 1]).L).toBe(2);
    expect(mutateWith(space, 2, list, ['L', -2, -1, -2, -1]).L).toBe(1);
    expect(mutateWith(space, 2, list, ['L', 2]).L).toBe(3);
  });

  it("'L' of block 1 is capped at 3, with or without a layers budget", () => {
    const list = [stem(32), K(32, 256, 64, 2), K(256, 512, 128)];
    expect(mutateWith(space, 1, list, ['L', 2]).L).toBe(3);
    expect(mutateWith(space, 1, list, ['L', 2], { budgetLayers: 91 }).L).toBe(3);
    expect(mutateWith(space, 1, list, ['L', -1]).L).toBe(1);
  });

  it("'L' cap budget_layers // 3 // (n - 2): 91 → 7 for the 6-block R50 seed, 10 for the 5-block seed", () => {
    const six = clone(r50Seed);
    six[2].L = 6;
    expect(mutateWith(space, 2, six, ['L', 2], { budgetLayers: 91 }).L).toBe(7);
    expect(mutateWith(space, 2, six, ['L', 2]).L).toBe(8); // no budget, no cap
    const five = clone(r50Seed5);
    five[3].L = 9;
    expect(mutateWith(space, 3, five, ['L', 2], { budgetLayers: 91 }).L).toBe(10);
    expect(mutateWith(space, 3, five, ['L', 2]).L).toBe(11);
  });

  it('the stem: out only, capped at 32 and at next.out', () => {
    expect(mutateWith(space, 0, clone(r50Seed), [1.5])).toEqual({ ...r50Seed[0], out: 32 });
    expect(mutateWith(space, 0, clone(r50Seed), [0.5])).toEqual({ ...r50Seed[0], out: 16 });
    expect(mutateWith(space, 0, [stem(16), K(16, 8, 8)], [1.5]).out).toBe(8);
    // a stem that is the last block is returned unchanged without a draw
    expect(mutateWith(space, 0, [stem(16)], [])).toEqual(stem(16));
  });

  it('minor mutation draws only from out/btn', () => {
    const list = [stem(32), K(32, 64, 32), K(64, 256, 64)];
    expect(() => mutateWith(space, 1, list, ['k', 5], { minor: true })).toThrow(/not in \[out, btn\]/);
    expect(mutateWith(space, 1, list, ['btn', 0.5], { minor: true }).btn).toBe(16);
  });
});

describe('child generation (§5.4)', () => {
  const space = SPACES.k1kxk1;

  it('each round takes the first valid attempt', () => {
    // round 1: stem 32 × 0.8 → 24; round 2: stem 24 × 1.25 = 30 → 32
    const rng = new ScriptedRng([0, 0.8, 0, 1.25]);
    const child = mutate(r50Seed, rng.asRng(), options(space, { budgetLayers: 91 }));
    expect(rng.done()).toBe(true);
    expect(child[0].out).toBe(32);
    expect(child[1].in).toBe(32);
  });

  it('the last attempt is kept when no attempt is valid (§10.5)', () => {
    // budget 1 layer: nothing is valid, so each round makes n = 6 attempts from the same list
    const rounds = [
      [0.5, 0.5, 0.5, 0.5, 0.5, 0.8], // last: 32 × 0.8 → 24
      [0.5, 0.5, 0.5, 0.5, 0.5, 1.25], // last: 24 × 1.25 = 30 → 32 (the first attempt would give 16)
    ];
    const rng = new ScriptedRng(rounds.flatMap((r) => r.flatMap((scale) => [0, scale])));
    const child = mutate(r50Seed, rng.asRng(), options(space, { budgetLayers: 1 }));
    expect(rng.done()).toBe(true);
    expect(child[0].out).toBe(32);
    expect(rng.intRanges).toEqual(new Array(12).fill(6));
  });

  it("adjust re-chains 'in' after an 'out' mutation", () => {
    // round 1: block 2 'out' 512 × 1.25 = 640; round 2: stem 32 × 1.5 → 32
    const rng = new ScriptedRng([2, 'out', 1.25, 0, 1.5]);
    const child = mutate(r50Seed, rng.asRng(), options(space));
    expect(rng.done()).toBe(true);
    expect(child[2].out).toBe(640);
    expect(child[3].in).toBe(640);
    expect(child.filter((_, i) => i !== 2 && i !== 3)).toEqual(r50Seed.filter((_, i) => i !== 2 && i !== 3));
  });

  it('adjust shrinks kernels to fit each block input side (k·1.5 ≤ side)', () => {
    const s = clone(r50Seed).map((b) => ({ ...b, k: 5 }));
    adjustStructure(s, 32);
    // sides: 32 (stem), 16, 8, 4, 2 (block 4 has stride 1), 2
    expect(s.map((b) => b.k)).toEqual([5, 5, 5, 1, 1, 1]);
    const big = clone(r50Seed).map((b) => ({ ...b, k: 5 }));
    adjustStructure(big, 480);
    expect(big.map((b) => b.k)).toEqual([5, 5, 5, 5, 5, 5]);
  });
});

describe('space_kxkx / space_k1kx rules (§5.5)', () => {
  it.each(['kxkx', 'k1kx'] as const)("%s: 'out' lowers the next block's btn in the list", (name) => {
    const space = SPACES[name];
    const [cls] = space.blockClasses;
    const list: Structure = [stem(32), { ...K(32, 64, 64), class: cls }, { ...K(64, 128, 128), class: cls }];
    // 64 × 0.5 = 32 → no range at index 1 → max(in 32) → min(next.out)
    const b = mutateWith(space, 1, list, ['out', 0.5]);
    expect(b.out).toBe(32);
    expect(list[2].btn).toBe(32);
    expect(list[2].out).toBe(128);
  });

  it("kxkx: 'out' is clamped into the per-index channel range ([64,128] at index 2)", () => {
    const space = SPACES.kxkx;
    const X = (cin: number, out: number, btn: number): Block => ({ ...K(cin, out, btn), class: 'SuperResKXKX' });
    expect(mutateWith(space, 2, [stem(32), X(32, 32, 32), X(32, 96, 32), X(96, 1024, 128)], ['out', 0.5]).out).toBe(64);
    expect(mutateWith(space, 2, [stem(32), X(32, 32, 32), X(32, 96, 32), X(96, 1024, 128)], ['out', 2.0]).out).toBe(128);
  });

  it("kxkx: 'L' caps 2 for block 1 and budget // 2 // (n - 2) otherwise", () => {
    const space = SPACES.kxkx;
    const X = (cin: number, out: number, L: number): Block => ({ ...K(cin, out, 64, L), class: 'SuperResKXKX' });
    const list = [stem(32), X(32, 256, 1), X(256, 512, 9), X(512, 1024, 1), X(1024, 2048, 1)];
    expect(mutateWith(space, 1, list, ['L', 2]).L).toBe(2);
    // 91 // 2 = 45; 45 // 3 = 15
    const deep = clone(list);
    deep[2].L = 14;
    expect(mutateWith(space, 2, deep, ['L', 2], { budgetLayers: 91 }).L).toBe(15);
  });
});

describe('space_k1dwk1 rules (§5.5)', () => {
  const space = SPACES.k1dwk1;
  const D = (cin: number, out: number, btn: number, L = 1): Block => ({ ...K(cin, out, btn, L), class: 'SuperResK1DWK1' });

  it("'out' keeps the btn/out ratio (snapped to the list)", () => {
    // ratio 192/64 = 3; 64 × 2 = 128 → max(in) → min(next.out) → btn = 128 × 3
    const b = mutateWith(space, 1, [stem(32), D(32, 64, 192), D(64, 256, 512)], ['out', 2.0]);
    expect(b).toMatchObject({ out: 128, btn: 384 });
    // ratio 200/64 = 3.125 snaps to 3
    expect(mutateWith(space, 1, [stem(32), D(32, 64, 200), D(64, 256, 512)], ['out', 2.0]).btn).toBe(384);
  });

  it("'btn' draws a different ratio", () => {
    expect(mutateWith(space, 1, [stem(32), D(32, 64, 192), D(64, 256, 512)], ['btn', 3.0, 3.0, 6.0]).btn).toBe(384);
  });

  it('the last block is returned unchanged without a draw', () => {
    const list = [stem(32), D(32, 64, 192), D(64, 256, 512)];
    expect(mutateWith(space, 2, list, [])).toEqual(list[2]);
  });

  it("'L' caps 3 for block 1 and budget // 3 // (n - 3) otherwise", () => {
    const list = [stem(32), D(32, 64, 192, 2), D(64, 128, 384, 13), D(128, 256, 512), D(256, 320, 640), D(320, 1280, 2560)];
    expect(mutateWith(space, 1, list, ['L', 2]).L).toBe(3);
    // 91 // 3 = 30; 30 // (6 - 3) = 10
    expect(mutateWith(space, 2, list, ['L', 2], { budgetLayers: 91 }).L).toBe(10);
    expect(mutateWith(space, 2, list, ['L', 2]).L).toBe(15);
  });
});
