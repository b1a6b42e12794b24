// Structure files (spec §1.1): reading TinyNAS / maedet / JSON text, error messages, writing and
// reading back, identity keys, the packed member codec, parser robustness, and Python rounding (§0).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, type Activation, type Block, type BlockClass, type Structure } from '../../app/engine/block';
import { ParseError, StructureError } from '../../app/engine/errors';
import { decodeMembers, encodeMembers, firstMembers, transferablesOf } from '../../app/engine/evolution/codec';
import type { Member } from '../../app/engine/evolution/population';
import { findReferenceNetwork, REFERENCE_NETWORKS } from '../../app/engine/referenceNetworks';
import { floorDiv, pyRound, smartRound } from '../../app/engine/rounding';
import { checkStructure, parseStructure, parseStructures, structureKey, toJSON, toPythonList, toTinyNAS } from '../../app/engine/structure';

const seed = findReferenceNetwork('r50_det_seed')!.structure;
const maedetS = findReferenceNetwork('maedet_s')!.structure;

/** The error thrown by `fn`, which must throw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}

/** Parse `text`, expect a StructureError, and return it. */
function structureError(text: string): StructureError {
  const e = thrown(() => parseStructures(text));
  expect(e).toBeInstanceOf(StructureError);
  return e as StructureError;
}

/** Parse `text`, expect a ParseError, and return it. */
function parseError(text: string): ParseError {
  const e = thrown(() => parseStructures(text));
  expect(e).toBeInstanceOf(ParseError);
  return e as ParseError;
}

const STEM = "{'class': 'ConvKXBNRELU', 'in': 3, 'out': 32, 's': 2, 'k': 3}";
/** a two-block list whose second block is `{...}` with the given body */
const withBlock1 = (body: string) => `[${STEM}, {${body}}]`;
const GOOD_B1 = "'class': 'SuperResK1KXK1', 'in': 32, 'out': 64, 's': 2, 'k': 3, 'L': 1, 'btn': 16";

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const SUPER_CLASSES: readonly BlockClass[] = ['SuperResK1KXK1', 'SuperResKXKX', 'SuperResK1KX', 'SuperResK1DWK1'];
/** multiples of 8 up to the reader's channel limit (65534), so any g in {1,2,4,8} divides them */
const arbChannel = fc.oneof(fc.integer({ min: 1, max: 256 }), fc.integer({ min: 1, max: 8191 })).map((x) => x * 8);
const arbOddKernel = fc.oneof(fc.constantFrom(1, 3, 5, 7), fc.integer({ min: 0, max: 31 }).map((x) => 2 * x + 1));
const arbStride = fc.constantFrom<1 | 2>(1, 2);
const arbOptionals = fc.record(
  {
    p: fc.integer({ min: 0, max: 63 }),
    g: fc.constantFrom(1, 2, 4, 8),
    act: fc.constantFrom<Activation>(...ACTIVATIONS),
  },
  { requiredKeys: [] },
);

/** A valid structure: a ConvKXBNRELU stem, then 1–7 super blocks of one class, chained channels. */
const arbStructure: fc.Arbitrary<Structure> = fc
  .record({
    stemIn: fc.integer({ min: 1, max: 16 }),
    stemOut: arbChannel,
    stemS: arbStride,
    stemK: arbOddKernel,
    stemOpt: fc.record({ p: fc.integer({ min: 0, max: 63 }), act: fc.constantFrom<Activation>(...ACTIVATIONS) }, { requiredKeys: [] }),
    cls: fc.constantFrom(...SUPER_CLASSES),
    blocks: fc.array(
      fc.record({ out: arbChannel, s: arbStride, k: arbOddKernel, L: fc.integer({ min: 1, max: 512 }), btn: arbChannel, opt: arbOptionals }),
      { minLength: 1, maxLength: 7 },
    ),
  })
  .map(({ stemIn, stemOut, stemS, stemK, stemOpt, cls, blocks }) => {
    const s: Structure = [{ class: 'ConvKXBNRELU', in: stemIn, out: stemOut, s: stemS, k: stemK, ...stemOpt }];
    for (const b of blocks) {
      s.push({ class: cls, in: s[s.length - 1].out, out: b.out, s: b.s, k: b.k, L: b.L, btn: b.btn, ...b.opt });
    }
    return s;
  });

const FIELDS = ['class', 'in', 'out', 's', 'k', 'btn', 'L', 'p', 'g', 'act'] as const;
function sameStructure(a: Structure, b: Structure): boolean {
  return a.length === b.length && a.every((x, i) => FIELDS.every((f) => x[f] === b[i][f]));
}

/** `s` with one field of one block changed to another valid value (the result may equal `s`). */
function tweak(s: Structure, index: number, field: (typeof FIELDS)[number], pick: number): Structure {
  const t = s.map((b) => ({ ...b }));
  const b: Block = t[index % t.length];
  switch (field) {
    case 'class':
      if (b.class !== 'ConvKXBNRELU') b.class = SUPER_CLASSES[pick % SUPER_CLASSES.length];
      break;
    case 'in':
    case 'out':
    case 'btn':
      if (b[field] !== undefined) b[field] = 8 * (1 + (pick % 64));
      break;
    case 's':
      b.s = pick % 2 === 0 ? 1 : 2;
      break;
    case 'k':
      b.k = 1 + 2 * (pick % 4);
      break;
    case 'L':
      if (b.L !== undefined) b.L = 1 + (pick % 4);
      break;
    case 'p':
      if (pick % 3 === 0) delete b.p;
      else b.p = pick % 3;
      break;
    case 'g':
      if (pick % 3 === 0) delete b.g;
      else b.g = pick % 3;
      break;
    case 'act':
      if (pick % 3 === 0) delete b.act;
      else b.act = ACTIVATIONS[pick % ACTIVATIONS.length];
      break;
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

describe('parseStructures: accepted formats (§1.1)', () => {
  it('reads a TinyNAS result dict written as a multi-line Python literal with comments, tuples and True/False/None', () => {
    const text = `# best_structure.txt written by TinyNAS
{ 'space_arch': 'CnnNet',   # the network class
  'finished': True, 'aborted': False, 'note': None,
  'best_structures': [ [ {'class': 'ConvKXBNRELU', 'in': 3, 'out': 32, 's': 2, 'k': 3},
                         # first stage
                         {'class': 'SuperResK1KXK1', 'in': 32, 'out': 48, 's': 2, 'k': 5, 'L': 2, 'btn': 32},
                         {'class': 'SuperResK1KXK1', 'in': 48, 'out': 272, 's': 2, 'k': 3, 'L': 4, 'btn': 120},
                         {'class': 'SuperResK1KXK1', 'in': 272, 'out': 1024, 's': 2, 'k': 5, 'L': 10, 'btn': 80},
                         {'class': 'SuperResK1KXK1', 'in': 1024, 'out': 2048, 's': 2, 'k': 3, 'L': 10, 'btn': 240},
                       ],
                       ( {'class': 'ConvKXBNRELU', 'in': 3, 'out': 16, 's': 2, 'k': 3},
                         {'class': 'SuperResK1KXK1', 'in': 16, 'out': 64, 's': 1, 'k': 3, 'L': 1, 'btn': 8, 'p': 1, 'g': 2, 'act': 'relu6'} ) ] }
`;
    const parsed = parseStructures(text);
    expect(parsed.spaceArch).toBe('CnnNet');
    expect(parsed.structures).toHaveLength(2);
    expect(parsed.structures[0]).toEqual(maedetS);
    expect(parsed.structures[1]).toEqual([
      { class: 'ConvKXBNRELU', in: 3, out: 16, s: 2, k: 3 },
      { class: 'SuperResK1KXK1', in: 16, out: 64, s: 1, k: 3, L: 1, btn: 8, p: 1, g: 2, act: 'relu6' },
    ]);
    expect(parseStructure(text)).toEqual(maedetS);
  });

  it('reads a bare Python list (maedet branch) with trailing commas', () => {
    const text = `[ {'class': 'ConvKXBNRELU', 'in': 3, 'out': 32, 's': 2, 'k': 3},
  {'class': 'SuperResK1KXK1', 'in': 32, 'out': 256, 's': 2, 'k': 3, 'L': 1, 'btn': 64,},
]`;
    const parsed = parseStructures(text);
    expect(parsed.spaceArch).toBeUndefined();
    expect(parsed.structures).toEqual([seed.slice(0, 2)]);
  });

  it('reads a tuple of block dicts', () => {
    expect(parseStructure(`(${STEM}, {${GOOD_B1}})`)).toEqual([
      { class: 'ConvKXBNRELU', in: 3, out: 32, s: 2, k: 3 },
      { class: 'SuperResK1KXK1', in: 32, out: 64, s: 2, k: 3, L: 1, btn: 16 },
    ]);
  });

  it('reads JSON (double quotes, true/false/null)', () => {
    const text = `{"space_arch": "CnnNet", "final": true, "resumed": false, "parent": null,
 "best_structures": [[
  {"class": "ConvKXBNRELU", "in": 3, "out": 32, "s": 2, "k": 3},
  {"class": "SuperResK1KXK1", "in": 32, "out": 256, "s": 2, "k": 3, "L": 1, "btn": 64}
 ]]}`;
    const parsed = parseStructures(text);
    expect(parsed.spaceArch).toBe('CnnNet');
    expect(parsed.structures).toEqual([seed.slice(0, 2)]);
    expect(parseStructure(JSON.stringify(seed))).toEqual(seed);
  });

  it("defaults 's' to 1 and leaves p/g/act absent", () => {
    const [b] = parseStructure("[{'class': 'ConvKXBNRELU', 'in': 3, 'out': 8, 'k': 3}]");
    expect(b).toEqual({ class: 'ConvKXBNRELU', in: 3, out: 8, s: 1, k: 3 });
    expect('p' in b || 'g' in b || 'act' in b || 'btn' in b || 'L' in b).toBe(false);
  });

  it('maps the maedet alias SuperResConvK1KXK1 to SuperResK1KXK1', () => {
    const text = toPythonList(maedetS).replaceAll('SuperResK1KXK1', 'SuperResConvK1KXK1');
    expect(text).toContain("'SuperResConvK1KXK1'");
    const s = parseStructure(text);
    expect(s).toEqual(maedetS);
    expect(s.slice(1).every((b) => b.class === 'SuperResK1KXK1')).toBe(true);
  });

  it("ignores 'inner_class' and 'force_resproj_skip'", () => {
    const s = parseStructure(withBlock1(`${GOOD_B1}, 'inner_class': 'ResK1KXK1', 'force_resproj_skip': 4`));
    expect(s[1]).toEqual({ class: 'SuperResK1KXK1', in: 32, out: 64, s: 2, k: 3, L: 1, btn: 16 });
    expect(Object.keys(s[1]).sort()).toEqual(['L', 'btn', 'class', 'in', 'k', 'out', 's']);
  });

  it('reads every reference network back from each output format', () => {
    for (const net of REFERENCE_NETWORKS) {
      expect(parseStructure(toPythonList(net.structure))).toEqual(net.structure);
      expect(parseStructure(toJSON(net.structure))).toEqual(net.structure);
      expect(JSON.parse(toJSON(net.structure))).toEqual(net.structure);
      const tiny = parseStructures(toTinyNAS([net.structure]));
      expect(tiny).toEqual({ structures: [net.structure], spaceArch: 'CnnNet' });
    }
    const all = REFERENCE_NETWORKS.map((n) => n.structure);
    expect(parseStructures(toTinyNAS(all)).structures).toEqual(all);
  });

  it("toTinyNAS survives the deploy loader's 'strip every line and join' (§1.1)", () => {
    const all = REFERENCE_NETWORKS.map((n) => n.structure);
    const text = toTinyNAS(all);
    expect(text.split('\n').length).toBeGreaterThan(all.length);
    const joined = text
      .split('\n')
      .map((l) => l.trim())
      .join('');
    expect(parseStructures(joined).structures).toEqual(all);
  });
});

describe('parseStructures: error messages name the block, the key, what was found and what was expected', () => {
  it('syntax error: ParseError with 1-based line and column', () => {
    const line2 = "  {'class': 'ConvKXBNRELU', 'in': 3 'out': 32}]";
    const e = parseError(`[\n${line2}`);
    expect(e.line).toBe(2);
    expect(e.column).toBe(line2.indexOf("'out'") + 1);
    expect(e.message).toMatch(/^line 2, column \d+: /);
    expect(e.message).toContain(`column ${line2.indexOf("'out'") + 1}`);
    expect(e.message).toMatch(/expected ',' or '}'/);
  });

  it('syntax errors: unterminated string, unexpected end, trailing garbage, non-literal names', () => {
    const unterminated = parseError("[{'class': 'ConvKXBNRELU");
    expect([unterminated.line, unterminated.column]).toEqual([1, 12]);
    expect(unterminated.message).toContain('unterminated string');

    const end = parseError(`[${STEM},\n`);
    expect(end.line).toBe(2);
    expect(end.message).toContain('unexpected end of input');

    const garbage = parseError(`[${STEM}] x`);
    expect(garbage.message).toContain('after the end of the value');
    expect(garbage.column).toBe(STEM.length + 4);

    const name = parseError("[{'class': ConvKXBNRELU}]");
    expect(name.message).toContain("'ConvKXBNRELU' is not a literal");
    expect(name.column).toBe(12);

    expect(parseError('').message).toContain('unexpected end of input');
    expect(parseError("{1: 2}").message).toContain('dict keys must be strings');
  });

  it('unknown class', () => {
    const e = structureError(withBlock1(GOOD_B1.replace('SuperResK1KXK1', 'SuperResFoo')));
    expect(e.blockIndex).toBe(1);
    expect(e.key).toBe('class');
    expect(e.message).toContain('block 1');
    expect(e.message).toContain("key 'class'");
    expect(e.message).toContain('found "SuperResFoo"');
    expect(e.message).toMatch(/expected one of .*SuperResK1KXK1/);
  });

  it('an inner class name is rejected with a hint to use the SuperRes form', () => {
    const e = structureError(withBlock1(GOOD_B1.replace('SuperResK1KXK1', 'ResK1KXK1')));
    expect(e.message).toContain('found "ResK1KXK1"');
    expect(e.message).toContain('inner block');
  });

  it.each(['class', 'in', 'out', 'k', 'L', 'btn'])("missing key '%s'", (key) => {
    const body = GOOD_B1.split(', ')
      .filter((kv) => !kv.startsWith(`'${key}'`))
      .join(', ');
    const e = structureError(withBlock1(body));
    expect(e.blockIndex).toBe(1);
    expect(e.key).toBe(key);
    expect(e.message).toContain('block 1');
    expect(e.message).toContain(`missing key '${key}'`);
    expect(e.message).toContain('expected');
  });

  it.each([
    ["'64'", 'found "64"'],
    ['64.5', 'found 64.5'],
    ['True', 'found True'],
    ['None', 'found None'],
    ['0', 'found 0'],
    ['-8', 'found -8'],
    ['[64]', 'found a list of 1'],
  ])("wrong-typed 'out': %s", (value, found) => {
    const e = structureError(withBlock1(GOOD_B1.replace("'out': 64", `'out': ${value}`)));
    expect(e.blockIndex).toBe(1);
    expect(e.key).toBe('out');
    expect(e.message).toContain('block 1 (SuperResK1KXK1)');
    expect(e.message).toContain("key 'out'");
    expect(e.message).toContain(found);
    expect(e.message).toContain('expected an integer from 1 to 65534');
  });

  it('stride 3', () => {
    const e = structureError(withBlock1(GOOD_B1.replace("'s': 2", "'s': 3")));
    expect([e.blockIndex, e.key]).toEqual([1, 's']);
    expect(e.message).toBe("block 1 (SuperResK1KXK1), key 's': found 3, expected 1 or 2");
  });

  it('even kernel', () => {
    const e = structureError(`[${STEM.replace("'k': 3", "'k': 4")}]`);
    expect([e.blockIndex, e.key]).toEqual([0, 'k']);
    expect(e.message).toBe("block 0 (ConvKXBNRELU), key 'k': found 4, expected an odd kernel size");
  });

  it("broken channel chain: block i 'in' != block i-1 'out'", () => {
    const e = structureError(withBlock1(GOOD_B1.replace("'in': 32", "'in': 40")));
    expect([e.blockIndex, e.key]).toEqual([1, 'in']);
    expect(e.message).toContain('block 1');
    expect(e.message).toContain("key 'in'");
    expect(e.message).toContain('found 40');
    expect(e.message).toContain("expected 32 (the 'out' of block 0)");
    // a later block: index 3 of the seed
    const broken = seed.map((b) => ({ ...b }));
    broken[3].in = 500;
    const e3 = structureError(toPythonList(broken));
    expect([e3.blockIndex, e3.key]).toEqual([3, 'in']);
    expect(e3.message).toContain("found 500, expected 512 (the 'out' of block 2)");
  });

  it('empty list, empty best_structures, empty inner list', () => {
    for (const text of ['[]', "{'space_arch': 'CnnNet', 'best_structures': []}", '[[]]', '()']) {
      expect(structureError(text).message).toContain('no blocks');
    }
  });

  it.each(['btn', 'L'])("'%s' on a ConvKXBNRELU", (key) => {
    const e = structureError(`[${STEM.replace('}', `, '${key}': 2}`)}]`);
    expect([e.blockIndex, e.key]).toEqual([0, key]);
    expect(e.message).toContain('block 0 (ConvKXBNRELU)');
    expect(e.message).toContain(`'${key}'`);
    expect(e.message).toContain(`ConvKXBNRELU has no '${key}'`);
  });

  it.each(['nbitsA', 'nbitsW'])('quantised key %s', (key) => {
    const e = structureError(withBlock1(`${GOOD_B1}, '${key}': 8`));
    expect([e.blockIndex, e.key]).toEqual([1, key]);
    expect(e.message).toContain(`block 1 (SuperResK1KXK1), key '${key}'`);
    expect(e.message).toContain('quantised blocks are not supported');
  });

  it('unknown key, bad act, g not dividing the channels, block not a dict, wrong space_arch', () => {
    const unknown = structureError(withBlock1(`${GOOD_B1}, 'foo': 1`));
    expect([unknown.blockIndex, unknown.key]).toEqual([1, 'foo']);
    expect(unknown.message).toContain("unknown key 'foo'");

    const act = structureError(withBlock1(`${GOOD_B1}, 'act': 'gelu'`));
    expect([act.blockIndex, act.key]).toEqual([1, 'act']);
    expect(act.message).toContain('found "gelu"');
    expect(act.message).toContain('relu');

    const g = structureError(withBlock1(`${GOOD_B1}, 'g': 3`));
    expect([g.blockIndex, g.key]).toEqual([1, 'g']);
    expect(g.message).toContain("found 3, expected a divisor of 'in' (32)");

    const notDict = structureError(`[${STEM}, 5]`);
    expect(notDict.blockIndex).toBe(1);
    expect(notDict.message).toContain('block 1: found 5, expected a dict');

    const arch = structureError(`{'space_arch': 'Other', 'best_structures': [[${STEM}]]}`);
    expect(arch.key).toBe('space_arch');
    expect(arch.message).toContain('found "Other"');
    expect(arch.message).toContain("expected 'CnnNet'");

    const noList = structureError("{'space_arch': 'CnnNet'}");
    expect(noList.message).toContain("expected 'best_structures'");

    expect(structureError('5').message).toContain('found 5, expected a list of blocks');
  });

  it('more than 64 blocks is rejected', () => {
    const blocks = [STEM];
    for (let i = 0; i < 64; i++) blocks.push("{'class': 'SuperResK1KXK1', 'in': 32, 'out': 32, 's': 1, 'k': 3, 'L': 1, 'btn': 8}");
    expect(structureError(`[${blocks.join(', ')}]`).message).toContain('65 blocks');
  });

  it("'best_structures': None names what was found", () => {
    const e = structureError("{'space_arch': 'CnnNet', 'best_structures': None}");
    expect(e.message).toBe("key 'best_structures': found None, expected a list of structures");
  });
});

// ---------------------------------------------------------------------------------------------
// Writing and reading back; identity keys; the member codec
// ---------------------------------------------------------------------------------------------

describe('round trip', () => {
  it('generated structures: toTinyNAS, toPythonList and toJSON parse back equal', () => {
    fc.assert(
      fc.property(arbStructure, fc.array(arbStructure, { maxLength: 2 }), (s, others) => {
        expect(parseStructure(toPythonList(s))).toEqual(s);
        expect(parseStructure(toJSON(s))).toEqual(s);
        expect(JSON.parse(toJSON(s))).toEqual(s);
        expect(parseStructures(toTinyNAS([s, ...others]))).toEqual({ structures: [s, ...others], spaceArch: 'CnnNet' });
      }),
      { numRuns: 150 },
    );
  });

  it('structureKey(a) === structureKey(b) iff a and b are equal', () => {
    const arbPair = fc.oneof(
      fc.tuple(arbStructure, arbStructure),
      arbStructure.chain((s) =>
        fc
          .tuple(fc.nat(), fc.constantFrom(...FIELDS), fc.nat())
          .map(([index, field, pick]) => [s, tweak(s, index, field, pick)] as [Structure, Structure]),
      ),
    );
    let equalPairs = 0;
    let differentPairs = 0;
    fc.assert(
      fc.property(arbPair, ([a, b]) => {
        const same = sameStructure(a, b);
        if (same) equalPairs++;
        else differentPairs++;
        expect(structureKey(a) === structureKey(b)).toBe(same);
        expect(structureKey(a)).toBe(structureKey(a.map((x) => ({ ...x }))));
      }),
      { numRuns: 300 },
    );
    // the property saw both outcomes
    expect(equalPairs).toBeGreaterThan(0);
    expect(differentPairs).toBeGreaterThan(0);
  });

  it('structureKey tells the reference networks apart', () => {
    const keys = REFERENCE_NETWORKS.map((n) => structureKey(n.structure));
    expect(new Set(keys).size).toBe(REFERENCE_NETWORKS.length);
    expect(structureKey(seed)).not.toBe(structureKey(seed.slice(0, 5)));
  });

  // 0xFFFF is the 'absent' code of blockCodes.ts, so values stop one below it
  it("structureKey: the largest 'g' differs from no 'g'; 65535 is refused", () => {
    const withG = parseStructure("[{'class': 'ConvKXBNRELU', 'in': 65534, 'out': 65534, 's': 1, 'k': 1, 'g': 65534}]");
    const withoutG = parseStructure("[{'class': 'ConvKXBNRELU', 'in': 65534, 'out': 65534, 's': 1, 'k': 1}]");
    expect(sameStructure(withG, withoutG)).toBe(false);
    expect(structureKey(withG)).not.toBe(structureKey(withoutG));
    expect(structureError("[{'class': 'ConvKXBNRELU', 'in': 3, 'out': 65535, 's': 1, 'k': 1}]").message).toContain('expected an integer from 1 to 65534');
  });

  const arbMember: fc.Arbitrary<Member> = fc
    .record(
      {
        structure: arbStructure,
        score: fc.double({ noNaN: true }),
        flops: fc.double({ min: 0, max: 1e15, noNaN: true }),
        params: fc.integer({ min: 0, max: 2 ** 40 }),
        layers: fc.integer({ min: 0, max: 5000 }),
        efficientScore: fc.double({ noNaN: true }),
      },
      { requiredKeys: ['structure', 'score', 'flops', 'params', 'layers'] },
    )
    .map((m) => m as Member);

  it('encodeMembers / decodeMembers round-trips members', () => {
    fc.assert(
      fc.property(fc.array(arbMember, { maxLength: 6 }), (members) => {
        // as a page or a worker receives it: the one buffer transferred, its views kept
        const sent = encodeMembers(members);
        const data = structuredClone(sent, { transfer: transferablesOf(sent) });
        expect(sent.score.buffer.byteLength).toBe(0);
        expect(new Set([data.score, data.flops, data.params, data.layers, data.efficientScore, data.blockStart, data.codes].map((c) => c.buffer)).size).toBe(1);
        expect(Array.from(data.score)).toEqual(members.map((m) => m.score));
        expect(Array.from(data.layers)).toEqual(members.map((m) => m.layers));
        const decoded = decodeMembers(data);
        expect(firstMembers(data, 3)).toEqual(members.slice(0, 3));
        expect(decoded).toEqual(members.map((m) => ({ ...m, key: structureKey(m.structure) })));
        for (let i = 0; i < members.length; i++) {
          expect('efficientScore' in decoded[i]).toBe(members[i].efficientScore !== undefined);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('decodeMembers skips members whose key isKnown, and asks with structureKey', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(arbMember, fc.boolean()), { maxLength: 8 }), (pairs) => {
        const members = pairs.map(([m]) => m);
        const known = new Set(pairs.filter(([, k]) => k).map(([m]) => structureKey(m.structure)));
        const asked: string[] = [];
        const decoded = decodeMembers(encodeMembers(members), (key) => {
          asked.push(key);
          return known.has(key);
        });
        expect(asked).toEqual(members.map((m) => structureKey(m.structure)));
        const expected = members.filter((m) => !known.has(structureKey(m.structure)));
        expect(decoded).toEqual(expected.map((m) => ({ ...m, key: structureKey(m.structure) })));
      }),
      { numRuns: 150 },
    );
  });

  it('decodeMembers with every key known returns nothing', () => {
    const members: Member[] = REFERENCE_NETWORKS.map((n, i) => ({ structure: n.structure, score: i, flops: 1, params: 2, layers: 3 }));
    expect(decodeMembers(encodeMembers(members), () => true)).toEqual([]);
    expect(decodeMembers(encodeMembers([]))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Robustness: arbitrary text never crashes the reader with anything but its own errors
// ---------------------------------------------------------------------------------------------

/** 'ok' if the text parses (and the result is a checked structure list), 'error' for our errors; anything else escapes */
function outcome(text: string): 'ok' | 'error' {
  let result;
  try {
    result = parseStructures(text);
  } catch (e) {
    if (e instanceof ParseError || e instanceof StructureError) {
      expect(typeof e.message).toBe('string');
      expect(e.message.length).toBeGreaterThan(0);
      return 'error';
    }
    throw e;
  }
  expect(result.structures.length).toBeGreaterThan(0);
  for (const s of result.structures) {
    expect(s.length).toBeGreaterThan(0);
    expect(() => checkStructure(s)).not.toThrow();
  }
  return 'ok';
}

/** run `outcome` and require it to be quick */
function quickOutcome(text: string, ms = 250): 'ok' | 'error' {
  const t0 = performance.now();
  const r = outcome(text);
  expect(performance.now() - t0).toBeLessThan(ms);
  return r;
}

const TOKENS = ['[', ']', '(', ')', '{', '}', ',', ':', "'", '"', '#', '\\', '\n', ' ', '-', '+', '.', '_', 'e', 'x', '0', '1', '9', 'True', 'None', 'false', 'null', "'class'", "'in'", "'out'", "'k'", "'s'", "'L'", "'btn'", "'ConvKXBNRELU'", "'SuperResK1KXK1'", '\\x4', '\\u00', '1e999', '0x'];
const arbEdit = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), n: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 3 })) }),
);
type Edit = typeof arbEdit extends fc.Arbitrary<infer T> ? T : never;
function applyEdits(text: string, edits: readonly Edit[]): string {
  let t = text;
  for (const e of edits) {
    const at = Math.floor(e.at * t.length);
    if (e.op === 'truncate') t = t.slice(0, at);
    else if (e.op === 'delete') t = t.slice(0, at) + t.slice(at + e.n);
    else t = t.slice(0, at) + e.text + t.slice(at);
  }
  return t;
}

const arbValidText = fc.oneof(
  arbStructure.map((s) => toPythonList(s)),
  arbStructure.map((s) => toJSON(s)),
  arbStructure.map((s) => toTinyNAS([s])),
  fc.constantFrom(...REFERENCE_NETWORKS.map((n) => toTinyNAS([n.structure]))),
);

describe('parseStructures robustness', () => {
  it('arbitrary strings: returns or throws ParseError/StructureError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
          fc.string({ unit: fc.constantFrom(...TOKENS), maxLength: 60 }),
          fc.json(),
        ),
        (text) => {
          quickOutcome(text);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('mutated valid files (truncations, deletions, insertions): returns or throws ParseError/StructureError', () => {
    let errors = 0;
    fc.assert(
      fc.property(arbValidText, fc.array(arbEdit, { minLength: 1, maxLength: 4 }), (text, edits) => {
        if (quickOutcome(applyEdits(text, edits)) === 'error') errors++;
      }),
      { numRuns: 300 },
    );
    expect(errors).toBeGreaterThan(0);
  });

  it('every truncation of a valid file is handled', () => {
    const text = toTinyNAS([seed]).trimEnd();
    for (let i = 0; i < text.length; i++) {
      expect(quickOutcome(text.slice(0, i))).toBe('error');
    }
    expect(quickOutcome(text)).toBe('ok');
  });

  it('pathological inputs: deep nesting, huge numbers, long strings and words', () => {
    const cases = [
      '['.repeat(10000),
      '('.repeat(100000),
      '{'.repeat(10000),
      "{'a': ".repeat(10000),
      `${'['.repeat(10000)}${']'.repeat(10000)}`,
      `${'['.repeat(60)}${']'.repeat(60)}`,
      '[{'.repeat(5000),
      '9'.repeat(1000),
      `[${'9'.repeat(400)}]`,
      '1e999',
      '-1e999',
      '0x' + 'f'.repeat(500),
      '0x_',
      `'${'a'.repeat(200000)}'`,
      `'${'a'.repeat(200000)}`,
      'T'.repeat(200000),
      '#'.repeat(200000),
      '\\'.repeat(100000),
      ' \\\n'.repeat(50000),
      `[${"{}, ".repeat(100000)}]`,
      `[${STEM.replace("'out': 32", `'out': ${'1'.repeat(30)}`)}]`,
      `[${STEM.replace("'out': 32", "'out': 1e300")}]`,
      `[${STEM.replace("'out': 32", "'out': 0x20")}]`,
      `[${STEM.replace("'out': 32", "'out': -0x20")}]`,
      "[{'class': 'ConvKXBNRELU', 'in': 3, 'out': 32, 'k': 3, '__proto__': 1}]",
      "[{'class': 'ConvKXBNRELU', 'in': 3, 'out': 32, 'k': 3, 'constructor': {}}]",
      "[{'class': 'toString', 'in': 3, 'out': 32, 'k': 3}]",
      "{'best_structures': {'class': 'ConvKXBNRELU'}}",
      "{'best_structures': [[], 1]}",
      "{'best_structures': 'abc'}",
      "{'best_structures': [[{'class': 1}]]}",
      "[{'class': 'ConvKXBNRELU', 'in': 3, 'out': 32, 'k': 3, 'act': 3}]",
      "'\\ud800'",
      '"\\u12"',
      "'\\q'",
      '\uFEFF[]',
      '\u0000',
    ];
    for (const text of cases) quickOutcome(text, 1000);
    // the nested cases are syntax errors reported as such
    expect(parseError('['.repeat(10000)).message).toContain('nesting deeper');
    expect(quickOutcome(`[${STEM.replace("'out': 32", "'out': 0x20")}]`)).toBe('ok');
  });
});

// ---------------------------------------------------------------------------------------------
// Python rounding (§0, §5.2)
// ---------------------------------------------------------------------------------------------

describe('pyRound / smartRound / floorDiv', () => {
  it('round half to even, like Python 3 round()', () => {
    const cases: [number, number][] = [
      [2.5, 2],
      [3.5, 4],
      [0.5, 0],
      [1.5, 2],
      [4.5, 4],
      [-0.5, 0],
      [-1.5, -2],
      [-2.5, -2],
      [-3.5, -4],
      [2.4999999999999996, 2],
      [2.5000000000000004, 3],
      [-2.5000000000000004, -3],
      [0.49999999999999994, 0],
      [7, 7],
      [-7, -7],
      [1e16, 1e16],
      [4503599627370495.5, 4503599627370496],
      [4503599627370494.5, 4503599627370494],
    ];
    for (const [x, expected] of cases) expect(pyRound(x), `round(${x})`).toBe(expected);
    // Python gives an int 0 for round(-0.5); the JS result is zero either way
    expect(pyRound(-0.5) === 0).toBe(true);
  });

  it('property: the result is an integer within 0.5; exact halves go to the even neighbour', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), (x) => {
        const r = pyRound(x);
        expect(Number.isInteger(r)).toBe(true);
        expect(Math.abs(r - x)).toBeLessThanOrEqual(0.5);
        if (Math.abs(r - x) < 0.5) expect(r === Math.round(x)).toBe(true);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (n) => {
        const r = pyRound(n + 0.5);
        expect(r === n || r === n + 1).toBe(true);
        expect(Math.abs(r % 2)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('smartRound: nearest multiple of 8 (half to even), at least 8', () => {
    expect(smartRound(1.25 * 16)).toBe(16); // 20/8 = 2.5 -> 2 (JS Math.round would give 24)
    expect(smartRound(3)).toBe(8);
    expect(smartRound(0)).toBe(8);
    expect(smartRound(12)).toBe(16); // 1.5 -> 2
    expect(smartRound(28)).toBe(32); // 3.5 -> 4
    expect(smartRound(36)).toBe(32); // 4.5 -> 4
    expect(smartRound(0.6 * 2048)).toBe(1232); // 153.6 -> 154
    expect(smartRound(1960 / 10)).toBe(192); // 24.5 -> 24
    expect(smartRound(2040 / 10)).toBe(208); // 25.5 -> 26
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (x) => {
        const r = smartRound(x);
        expect(r % 8).toBe(0);
        expect(r).toBeGreaterThanOrEqual(8);
        if (x >= 8) expect(Math.abs(r - x)).toBeLessThanOrEqual(4);
      }),
      { numRuns: 200 },
    );
  });

  it('floorDiv is Python //', () => {
    expect(floorDiv(91, 3)).toBe(30);
    expect(floorDiv(30, 4)).toBe(7);
    expect(floorDiv(-7, 2)).toBe(-4);
    expect(floorDiv(7, -2)).toBe(-4);
  });
});
