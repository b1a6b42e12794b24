// The views' URLs: parsed from the hash (never evaluated), with defaults and clamping, and the
// links the views build read back to the same route.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { editorHash, learnHash, LESSON_STEPS, parseRoute } from '../../app/ui/route';

describe('routes', () => {
  it('the editor opens a named network at 480 px unless the URL gives a resolution', () => {
    expect(parseRoute('#/editor/maedet_s')).toEqual({ view: 'editor', network: 'maedet_s', resolution: 480 });
    expect(parseRoute('#/editor/maedet_l?r=640')).toEqual({ view: 'editor', network: 'maedet_l', resolution: 640 });
    expect(parseRoute('#/editor')).toEqual({ view: 'editor', network: null, resolution: 480 });
    expect(parseRoute('#/editor?r=224')).toEqual({ view: 'editor', network: null, resolution: 224 });
  });

  it('the lesson has steps 1 to 6 and a presenter mode; out-of-range steps are clamped', () => {
    expect(parseRoute('#/learn')).toEqual({ view: 'learn', step: 1, presenter: false });
    expect(parseRoute('#/learn/4')).toEqual({ view: 'learn', step: 4, presenter: false });
    expect(parseRoute('#/learn/6?presenter')).toEqual({ view: 'learn', step: 6, presenter: true });
    expect(parseRoute('#/learn/0')).toMatchObject({ step: 1 });
    expect(parseRoute('#/validate')).toEqual({ view: 'validate' });
    // anything after it is not a view of its own: the studio, never an evaluated hash
    expect(parseRoute('#/validate/x')).toEqual({ view: 'studio' });
    expect(parseRoute('#/learn/99')).toMatchObject({ step: LESSON_STEPS });
  });

  it('anything else is the studio, including hostile hashes', () => {
    for (const hash of ['', '#', '#config=abc', '#/editor/../x', '#/editor/maedet_s?r=javascript:alert(1)', '#/learn/2?presenter=1', '#/learnx']) expect(parseRoute(hash)).toEqual({ view: 'studio' });
  });

  it('the links the views build parse back to the same route', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: LESSON_STEPS }), fc.boolean(), (step, presenter) => {
        expect(parseRoute(learnHash(step, presenter))).toEqual({ view: 'learn', step, presenter });
      }),
    );
    fc.assert(
      fc.property(fc.option(fc.constantFrom('r50_det_seed', 'maedet_s', 'maedet_m', 'maedet_l', 'cls_r18_like', 'cls_r50_like', 'cls_r152_like'), { nil: null }), fc.integer({ min: 32, max: 2048 }), (network, resolution) => {
        expect(parseRoute(editorHash(network, resolution))).toEqual({ view: 'editor', network, resolution });
      }),
    );
  });
});
