import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { axisTicks, scoreTickFormat } from '../../app/ui/components/charts';
import { aboveLine, besideMarker, estimatedTextWidth, fitTicks, inside, overlaps, placeLabels, type Box, type LabelRequest } from '../../app/ui/components/labelPlacement';

const AREA: Box = { x: 64, y: 18, width: 600, height: 260 };
const size = (text: string) => ({ width: estimatedTextWidth(text, 11), height: 14 });
const markerBox = (x: number, y: number): Box => ({ x: x - 6, y: y - 6, width: 12, height: 12 });

const marker = fc.record({ x: fc.double({ min: AREA.x, max: AREA.x + AREA.width, noNaN: true }), y: fc.double({ min: AREA.y, max: AREA.y + AREA.height, noNaN: true }), text: fc.string({ minLength: 1, maxLength: 28 }) });

describe('placeLabels', () => {
  it('puts a label right of its marker, or left of it at the plot’s right edge', () => {
    const requests = [
      { candidates: besideMarker(100, 100, size('MAE-DET-S'), 9), within: AREA },
      { candidates: besideMarker(AREA.x + AREA.width - 10, 200, size('R152-like (classification)'), 9), within: AREA },
    ];
    const [right, left] = placeLabels(requests);
    expect(right).toMatchObject({ x: 109, y: 93 });
    expect(left!.x + left!.width).toBe(AREA.x + AREA.width - 19);
  });

  it('moves a label that would cover an earlier one, and leaves it out when no place is free', () => {
    // MAE-DET-S and R18-like at almost the same point: the second goes left, a third a line up
    const near = (x: number, y: number, text: string) => ({ candidates: besideMarker(x, y, size(text), 9), within: AREA });
    const [a, b, c] = placeLabels([near(300, 150, 'MAE-DET-S'), near(302, 151, 'R18-like (classification)'), near(301, 150, 'MAE-DET-M')]);
    expect(a!.x).toBe(309);
    expect(b!.x + b!.width).toBe(293);
    expect(c!.y).toBeLessThan(a!.y);
    expect([overlaps(a!, b!), overlaps(a!, c!), overlaps(b!, c!)]).toEqual([false, false, false]);
    // every candidate blocked: left out
    const crowd = Array.from({ length: 8 }, () => ({ candidates: besideMarker(300, 150, size('MAE-DET-S'), 9), within: AREA }));
    const placed = placeLabels(crowd);
    expect(placed.filter((p) => p !== null)).toHaveLength(6);
    expect(placed.slice(6)).toEqual([null, null]);
  });

  it('keeps labels off the obstacles (other markers)', () => {
    const [box] = placeLabels([{ candidates: besideMarker(300, 150, size('MAE-DET-M'), 9), within: AREA }], [markerBox(330, 150)]);
    expect(box!.x + box!.width).toBeLessThanOrEqual(291);
  });

  it('places the budget label over its line, inside the strip above the plot', () => {
    const strip = { x: 0, y: 0, width: 688, height: AREA.y };
    const [centred, nearEnd] = placeLabels([
      { candidates: aboveLine(300, AREA.y - 2, size('budget')), within: strip },
      { candidates: aboveLine(686, AREA.y - 2, size('budget')), within: strip },
    ]);
    expect(centred!.x + centred!.width / 2).toBeCloseTo(300);
    expect(nearEnd!.x + nearEnd!.width).toBe(684);
  });

  it('never overlaps two labels, keeps each inside its region, and leaves one out only when every place is taken', () => {
    fc.assert(
      fc.property(fc.array(marker, { maxLength: 12 }), (markers) => {
        const requests: LabelRequest[] = markers.map((m) => ({ candidates: besideMarker(m.x, m.y, size(m.text), 9), within: AREA }));
        const obstacles = markers.map((m) => markerBox(m.x, m.y));
        const placed = placeLabels(requests, obstacles);
        const boxes = placed.filter((b): b is Box => b !== null);
        boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)));
        placed.forEach((box, i) => {
          if (box) {
            expect(inside(box, AREA)).toBe(true);
            expect(requests[i].candidates).toContainEqual(box);
            obstacles.forEach((o) => expect(overlaps(box, o)).toBe(false));
          } else {
            const before = placed.slice(0, i).filter((b): b is Box => b !== null);
            for (const c of requests[i].candidates) expect(!inside(c, AREA) || [...obstacles, ...before].some((t) => overlaps(c, t))).toBe(true);
          }
        });
      }),
    );
  });
});

describe('fitTicks', () => {
  const axis = (domain: [number, number], width: number, format = (v: number) => `${v / 1e9} G`) => {
    const [from, to] = [64, width - 24];
    return {
      ticks: (count: number) => axisTicks(domain, count),
      format,
      position: (v: number) => from + ((v - domain[0]) / (domain[1] - domain[0])) * (to - from),
      extent: (label: string) => estimatedTextWidth(label, 12),
      bounds: [59, width] as const,
      gap: 8,
    };
  };

  it('keeps the last tick inside the chart by anchoring it at its end', () => {
    const ticks = fitTicks(axis([0, 19.5e9], 700, (v) => `${(v / 1e9).toFixed(1)} G`));
    const last = ticks.at(-1)!;
    expect(last.anchor === 'end' || last.at + estimatedTextWidth(last.label, 12) / 2 <= 700).toBe(true);
  });

  it('draws fewer ticks on a narrow chart, as many as fit', () => {
    const format = (v: number) => `${(v / 1e9).toFixed(1)} G`;
    const wide = fitTicks(axis([0, 16e9], 1200, format));
    const narrow = fitTicks(axis([0, 16e9], 300, format));
    expect(wide.length).toBeGreaterThan(narrow.length);
    expect(narrow.length).toBeGreaterThanOrEqual(2);
  });

  it('gives score ticks the decimals their step needs, so no two read alike', () => {
    expect(axisTicks([0, 1]).map(scoreTickFormat(axisTicks([0, 1])))).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    expect(axisTicks([2065, 2120]).map(scoreTickFormat(axisTicks([2065, 2120])))).toEqual(['2070', '2080', '2090', '2100', '2110', '2120']);
  });

  it('never overlaps two tick labels nor leaves the chart', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), fc.double({ min: 1e-3, max: 1e12, noNaN: true }), fc.integer({ min: 120, max: 1600 }), (lo, span, width) => {
        const a = axis([lo, lo + span], width, (v) => v.toPrecision(3));
        const ticks = fitTicks(a);
        const spans = ticks.map((t) => {
          const e = a.extent(t.label);
          const from = t.anchor === 'start' ? t.at : t.anchor === 'end' ? t.at - e : t.at - e / 2;
          return [from, from + e];
        });
        spans.forEach(([from, to], i) => {
          expect(from).toBeGreaterThanOrEqual(a.bounds[0] - 1e-9);
          expect(to).toBeLessThanOrEqual(a.bounds[1] + 1e-9);
          if (i > 0) expect(from - spans[i - 1][1]).toBeGreaterThanOrEqual(a.gap - 1e-9);
        });
      }),
    );
  });
});
