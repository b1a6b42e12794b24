// The distributed measured search's scoring job (issue #18, first part): a job reads back as it
// was written; a malformed or hostile one — not JSON, too big, wrong types, unknown block classes,
// huge widths, too many structures — is refused with the field and the reason; results are keyed
// by structure, settings and backend; a batch is cut into jobs in order, and a worker's result
// is checked against the job it answers.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENTROPY_SETTINGS } from '../../app/engine/entropy';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { batchJobs, jobScores, jobText, JOB_LIMITS, readJob, resultKey } from '../../app/engine/queue/job';
import fc from 'fast-check';

const seed = findReferenceNetwork('r50_det_seed')!.structure;
const maedetS = findReferenceNetwork('maedet_s')!.structure;
const settings = { ...DEFAULT_ENTROPY_SETTINGS, ratio: [...DEFAULT_ENTROPY_SETTINGS.ratio] };
const job = { batch: 7, backend: 'cpu' as const, settings, structures: [seed, maedetS] };

const edited = (edit: (raw: Record<string, unknown> & { structures: Record<string, unknown>[][]; settings: Record<string, unknown> }) => void) => {
  const raw = JSON.parse(jobText(job));
  edit(raw);
  return () => readJob(JSON.stringify(raw));
};

describe('scoring jobs', () => {
  it('read back as written', () => {
    expect(readJob(jobText(job))).toEqual(job);
  });

  it.each<[string, Parameters<typeof edited>[0], string]>([
    ['a batch that is no index', (j) => (j.batch = -1), 'batch: found -1, expected an integer from 0 to'],
    ['settings of the wrong type', (j) => (j.settings.resolution = '480'), 'settings.resolution: found "480"'],
    ['a resolution past the limits', (j) => (j.settings.resolution = 100_000), 'settings.resolution: found 100000'],
    ['an unknown block class', (j) => (j.structures[1][2].class = 'os.system'), `structures[1]: block 2, key 'class': found "os.system"`],
    ['a huge width', (j) => (j.structures[0][1].out = 10_000_000), "structures[0]: block 1 (SuperResK1KXK1), key 'out': found 10000000"],
    ['no structures', (j) => (j.structures = []), 'structures: found a list of 0'],
    ['too many structures', (j) => (j.structures = Array.from({ length: JOB_LIMITS.structures + 1 }, () => j.structures[0])), `expected a list of 1 to ${JOB_LIMITS.structures} structures`],
    ['an unknown field', (j) => (j.command = 'rm -rf /'), 'command: unknown field'],
    ['another format', (j) => (j.format = 'bullmq'), 'format: found "bullmq", expected "maedet-studio-entropy-job"'],
    ['a newer version', (j) => (j.version = 3), 'written by a newer MAE-DET Studio'],
    ['an unknown backend', (j) => (j.backend = 'cuda'), 'backend: found "cuda", expected "cpu" or "wasm"'],
  ])('%s is refused with the field and the reason', (_what, edit, message) => {
    expect(edited(edit)).toThrow(message);
  });

  it('text that is not JSON, or too big, is refused before it is parsed', () => {
    expect(() => readJob('{"format":')).toThrow(/^job: not JSON/);
    expect(() => readJob(' '.repeat(JOB_LIMITS.bytes + 1))).toThrow(`job: ${JOB_LIMITS.bytes + 1} characters, expected at most ${JOB_LIMITS.bytes}`);
  });

  it('a version-1 job (before backends) is read as a cpu job', () => {
    const v1 = JSON.parse(jobText(job));
    delete v1.backend;
    v1.version = 1;
    expect(readJob(JSON.stringify(v1))).toEqual(job);
  });

  it('results are keyed by structure, settings and backend', () => {
    const read = readJob(jobText(job));
    expect(resultKey(read.structures[0], read.settings, 'cpu')).toBe(resultKey(seed, read.settings, 'cpu'));
    expect(resultKey(seed, read.settings, 'cpu')).not.toBe(resultKey(maedetS, read.settings, 'cpu'));
    expect(resultKey(seed, read.settings, 'cpu')).not.toBe(resultKey(seed, { ...read.settings, seed: 1 }, 'cpu'));
    expect(resultKey(seed, read.settings, 'cpu')).not.toBe(resultKey(seed, read.settings, 'wasm'));
  });

  it('a batch cut into jobs concatenates back to the batch, each job within the size', () => {
    fc.assert(
      fc.property(fc.nat(40), fc.integer({ min: 1, max: 9 }), (n, size) => {
        const structures = Array.from({ length: n }, (_, i) => (i % 2 ? seed : maedetS));
        const jobs = batchJobs(structures, size);
        expect(jobs.flat()).toEqual(structures);
        expect(jobs.every((j) => j.length >= 1 && j.length <= size)).toBe(true);
        expect(jobs.length).toBe(Math.ceil(n / size));
      }),
    );
  });

  it("a worker's result gives the job's scores in order, or an error naming what does not answer the job", () => {
    const read = readJob(jobText(job));
    const results = read.structures.map((s, i) => ({ key: resultKey(s, read.settings, 'cpu'), score: 400 + i }));
    expect(jobScores({ batch: 7, results, worker: 'h:1' }, read)).toEqual([400, 401]);
    expect(() => jobScores({ batch: 8, results, worker: 'h:1' }, read)).toThrow('result.batch: found 8, expected 7');
    expect(() => jobScores({ batch: 7, results: results.slice(1), worker: 'h:1' }, read)).toThrow('expected 2 results');
    expect(() => jobScores({ batch: 7, results: [...results].reverse(), worker: 'h:1' }, read)).toThrow('result.results[0].key: does not name the structure and settings sent');
    expect(() => jobScores({ batch: 7, results: [results[0], { ...results[1], score: '401' }], worker: 'h:1' }, read)).toThrow('result.results[1].score: found "401", expected a number');
    expect(() => jobScores(null, read)).toThrow('result.batch');
  });
});
