/**
 * Measured entropy in the studio: the settings, results per candidate (next to its analytic
 * score), and the measurement in progress. Measurements run in the scoring worker.
 */
import * as Comlink from 'comlink';
import { create } from 'zustand';
import type { EntropyResult } from '../../engine/entropy';
import type { MemberRecord } from '../../engine/evolution/population';
import { structureKey } from '../../engine/structure';
import { DEFAULT_THREADS, type MeasureOptions } from '../../../workers/scoreApi';
import { WorkerGone } from '../../../workers/liveness';
import { currentScoreWorker, scoreWorkerCall } from '../../../workers/scoreClient';

interface Measurement {
  key: string;
  member: MemberRecord;
  /** the run's analytic score of the candidate */
  analytic: number;
  result: EntropyResult;
}

export type EntropySettingsDraft = Omit<MeasureOptions, 'ratio'>;

interface EntropyState {
  settings: EntropySettingsDraft;
  measurements: Record<string, Measurement>;
  /** the measurement in progress: candidates and repeats done of the total */
  job: { done: number; total: number; candidate: number; candidates: number } | null;
  error: string | null;
  setSetting<K extends keyof EntropySettingsDraft>(key: K, value: EntropySettingsDraft[K]): void;
  /** measure candidates one after another with the stage weights `ratio` */
  measure(members: readonly MemberRecord[], ratio: readonly number[]): Promise<void>;
  cancel(): void;
}

const CANCELLED = /cancel/i;
const OUT_OF_MEMORY = /memory|allocat|bad_alloc|RangeError/i;

/** what a failed measurement tells the user: a sentence, with a way out when it ran out of memory */
export function explainMeasurementFailure(e: unknown, settings: EntropySettingsDraft): string {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof WorkerGone) return `The measurement stopped: ${message}. Measuring again starts a new scoring worker.`;
  if (OUT_OF_MEMORY.test(message)) {
    return `The forward pass at batch ${settings.batch} and ${settings.resolution}×${settings.resolution} px needs more memory than this tab can allocate (${message}). Try a smaller batch or resolution.`;
  }
  return `The measurement failed: ${message}`;
}

export const useEntropyStore = create<EntropyState>((set, get) => ({
  settings: { batch: 2, resolution: 224, repeats: 4, bn: false, relu: false, seed: 0, provider: 'auto', threads: DEFAULT_THREADS },
  measurements: {},
  job: null,
  error: null,
  setSetting: (key, value) => set((s) => ({ settings: { ...s.settings, [key]: value } })),
  async measure(members, ratio) {
    if (get().job) return;
    const settings = get().settings;
    const total = members.length * settings.repeats;
    set({ error: null, job: { done: 0, total, candidate: 0, candidates: members.length } });
    try {
      for (const [i, member] of members.entries()) {
        set({ job: { done: i * settings.repeats, total, candidate: i + 1, candidates: members.length } });
        const onRepeat = (done: number) => set({ job: { done: i * settings.repeats + done, total, candidate: i + 1, candidates: members.length } });
        const result = await scoreWorkerCall(settings.threads, (api) => api.measure(member.structure, { ...settings, ratio: [...ratio] }, Comlink.proxy(onRepeat)));
        const key = structureKey(member.structure);
        set((s) => ({ measurements: { ...s.measurements, [key]: { key, member, analytic: member.score, result } } }));
      }
    } catch (e) {
      if (!CANCELLED.test(e instanceof Error ? e.message : String(e))) set({ error: explainMeasurementFailure(e, settings) });
    } finally {
      set({ job: null });
    }
  },
  cancel() {
    void currentScoreWorker()?.cancel();
  },
}));
