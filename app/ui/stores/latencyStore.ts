/**
 * Latency on this device: the device profiles stored in this browser, the one being made (its
 * progress, Cancel, and Resume of a partial one), and networks timed end to end. Profiling and
 * timing run in the scoring worker, one job at a time; a running search is paused meanwhile (its
 * workers would take the cores being timed) and resumed after.
 */
import * as Comlink from 'comlink';
import { create } from 'zustand';
import type { Structure } from '../../engine/block';
import type { RunConfig } from '../../engine/config';
import type { DeviceInfo, Timing } from '../../engine/latency/measure';
import { LatencyPredictor } from '../../engine/latency/predictor';
import { isComplete, parseProfile, type LatencyProfile } from '../../engine/latency/profile';
import type { ProfileProgress } from '../../engine/latency/profiler';
import { structureKey } from '../../engine/structure';
import { WorkerGone } from '../../../workers/liveness';
import { DEFAULT_THREADS, type ProfileRequest, type ProviderChoice } from '../../../workers/scoreApi';
import { currentScoreWorker, scoreWorkerCall } from '../../../workers/scoreClient';
import type { NamedProfile } from '../configForm';
import { forgetProfile, readStoredProfiles, storeProfile, type StoredProfile } from '../profileStorage';
import { useConfigStore } from './configStore';
import { useRunStore } from './runStore';

/** where a network is timed: a backend, its threads and the input side (batch 1) */
export interface MeasureSetting {
  provider: ProviderChoice;
  threads: number;
  resolution: number;
}

interface LatencyMeasurement extends Timing {
  device: DeviceInfo;
  resolution: number;
}

/** what a job was started from, so its progress and failure show there */
type JobOrigin = 'profile' | 'candidate' | 'lesson';

type LatencyJob =
  | { id: number; origin: 'profile'; progress: ProfileProgress | null }
  | { id: number; origin: 'candidate' | 'lesson'; done: number; total: number; measuring: string };

/** the profile panel's choices, as typed */
export interface ProfileSettings {
  provider: ProviderChoice;
  /** the input side, as typed */
  resolution: string;
  plan: 'quick' | 'full';
}

interface LatencyState {
  settings: ProfileSettings;
  setSetting<K extends keyof ProfileSettings>(key: K, value: ProfileSettings[K]): void;
  /** the profiles stored in this browser, newest first; null until they are read */
  stored: StoredProfile[] | null;
  job: LatencyJob | null;
  /** why the last job failed (or a stored record could not be read), where it was started; `key` names the network */
  error: { origin: JobOrigin; message: string; key?: string } | null;
  /** what the last file load did, for the profile panel */
  notice: string | null;
  /** networks timed end to end, by `measurementKey` */
  measurements: Record<string, LatencyMeasurement>;
  /** on page load: read the stored profiles */
  readStored(): Promise<void>;
  /** make a profile of this device: the sampling plan of `request.config`'s space */
  profileDevice(request: Omit<ProfileRequest, 'resume'>): Promise<void>;
  /** go on with a partial profile: with its own plan when it was made here, else with `config`'s */
  resumeProfile(name: string, config: RunConfig | null): Promise<void>;
  /** stop the profile or measurement in progress (a profile keeps what it measured, to resume) */
  cancel(): void;
  removeProfile(name: string): Promise<void>;
  /** store a profile file (a download of the studio's, or the CLI's `profile --out`) */
  loadProfileFile(text: string): Promise<void>;
  /** time networks end to end, one after another */
  measure(structures: readonly Structure[], setting: MeasureSetting, origin: 'candidate' | 'lesson'): Promise<void>;
}

/** the key of a network's measurement in a setting */
export function measurementKey(structure: Structure, setting: MeasureSetting): string {
  return `${structureKey(structure)} ${setting.provider} ${setting.threads}T ${setting.resolution}px`;
}

/**
 * Where a profile's predictions can be checked: its backend and threads at its input size, or why
 * not here (a profile of the CLI's onnxruntime-node, which the browser does not have).
 */
export function measurementSetting(profile: LatencyProfile): MeasureSetting | string {
  const { backend, threads } = profile.device;
  if (backend !== 'wasm' && backend !== 'webgpu') {
    return `The profile “${profile.name}” was measured on ${backend} (the command line’s onnxruntime-node), which a browser cannot run: profile this device to measure here.`;
  }
  return { provider: backend, threads, resolution: profile.resolution };
}

/** where the lesson times networks without a profile to compare with: wasm at 224 px */
export const LESSON_SETTING: MeasureSetting = { provider: 'wasm', threads: DEFAULT_THREADS, resolution: 224 };

const predictors = new WeakMap<LatencyProfile, LatencyPredictor>();

/** the predictor of a complete profile, one per profile object, so its memo serves every view */
function predictorOf(profile: LatencyProfile): LatencyPredictor {
  let predictor = predictors.get(profile);
  if (!predictor) predictors.set(profile, (predictor = new LatencyPredictor(profile)));
  return predictor;
}

/** `name`, or "name (2)", "name (3)", … — the first not in `taken` */
function uniqueName(name: string, taken: readonly string[]): string {
  if (!taken.includes(name)) return name;
  let n = 2;
  while (taken.includes(`${name} (${n})`)) n++;
  return `${name} (${n})`;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const isCancel = (e: unknown) => e instanceof Error && e.name === 'AbortError';

/** a failed job in a sentence */
function explain(e: unknown, what: string): string {
  if (e instanceof WorkerGone) return `The ${what} stopped: ${message(e)}. Trying again starts a new scoring worker.`;
  return `The ${what} failed: ${message(e)}`;
}

/**
 * Run a job that times this device with a running search paused (its workers would share the
 * cores being timed); the search goes on afterwards unless the user paused or stopped it meanwhile.
 */
async function withSearchPaused<T>(task: () => Promise<T>): Promise<T> {
  const pausedHere = useRunStore.getState().status === 'running';
  if (pausedHere) useRunStore.getState().pause();
  try {
    return await task();
  } finally {
    if (pausedHere && useRunStore.getState().status === 'paused') useRunStore.getState().resume();
  }
}

let lastJob = 0;

export const useLatencyStore = create<LatencyState>((set, get) => {
  const names = () => (get().stored ?? []).map((r) => r.profile.name);

  /** keep a profile: in the list at once, then in IndexedDB */
  function remember(record: StoredProfile): Promise<void> {
    const others = (get().stored ?? []).filter((r) => r.profile.name !== record.profile.name);
    set({ stored: [record, ...others].sort((a, b) => b.profile.date.localeCompare(a.profile.date)) });
    return storeProfile(record);
  }

  async function profileJob(request: ProfileRequest, plan: StoredProfile['plan']): Promise<void> {
    if (get().job) return;
    const id = ++lastJob;
    const current = () => get().job?.id === id;
    set({ job: { id, origin: 'profile', progress: null }, error: null, notice: null });
    // a resumed profile keeps its name; a new one gets the engine's, made unique here
    let name = request.resume?.name;
    const nameOf = (profile: LatencyProfile) => (name ??= uniqueName(profile.name, names()));
    const keep = (profile: LatencyProfile) => remember({ profile: { ...profile, name: nameOf(profile) }, plan });
    let complete = false;
    let saving = Promise.resolve();
    // checkpoints arrive on a port of their own and may trail the result: once the profile is complete, they are stale
    const onCheckpoint = (partial: LatencyProfile) => {
      saving = saving.then(() => (complete ? undefined : keep(partial)));
    };
    const onProgress = (progress: ProfileProgress) => {
      if (current()) set({ job: { id, origin: 'profile', progress } });
    };
    try {
      const profile = await withSearchPaused(() => scoreWorkerCall(request.threads, (api) => api.profileDevice(request, Comlink.proxy(onProgress), Comlink.proxy(onCheckpoint))));
      await saving;
      complete = true;
      await keep(profile);
      useConfigStore.getState().chooseProfile(nameOf(profile));
    } catch (e) {
      // what was measured is stored (the last checkpoint), so a cancelled or failed profile can be resumed
      if (!isCancel(e)) set({ error: { origin: 'profile', message: explain(e, 'profile') } });
    } finally {
      if (current()) set({ job: null });
    }
  }

  return {
    settings: { provider: 'auto', resolution: '224', plan: 'quick' },
    setSetting: (key, value) => set((s) => ({ settings: { ...s.settings, [key]: value } })),
    stored: null,
    job: null,
    error: null,
    notice: null,
    measurements: {},
    async readStored() {
      try {
        const { stored, unreadable } = await readStoredProfiles();
        set({ stored, ...(unreadable.length > 0 && { error: { origin: 'profile', message: unreadable.join(' ') } }) });
      } catch (e) {
        set({ stored: [], error: { origin: 'profile', message: `The stored profiles cannot be read: ${message(e)}` } });
      }
    },
    profileDevice(request) {
      return profileJob(request, { config: request.config, quick: request.quick });
    },
    async resumeProfile(name, config) {
      const record = get().stored?.find((r) => r.profile.name === name);
      if (!record) return;
      const setting = measurementSetting(record.profile);
      const planConfig = record.plan?.config ?? config;
      if (typeof setting === 'string' || !planConfig) {
        set({ error: { origin: 'profile', message: typeof setting === 'string' ? setting : 'The set-up is not valid, and this profile was loaded from a file: fix the set-up, whose space the profile was planned for, to resume it.' } });
        return;
      }
      // the engine names its plans "quick …" and "full …"; a profile made here keeps which it was
      const quick = record.plan?.quick ?? record.profile.plan.name.startsWith('quick');
      await profileJob({ config: planConfig, resolution: record.profile.resolution, quick, provider: setting.provider, threads: setting.threads, resume: record.profile }, record.plan);
    },
    cancel() {
      void currentScoreWorker()?.cancel();
    },
    async removeProfile(name) {
      set((s) => ({ stored: s.stored && s.stored.filter((r) => r.profile.name !== name), notice: null }));
      if (useConfigStore.getState().draft.latencyProfile === name) useConfigStore.getState().chooseProfile('');
      await forgetProfile(name);
    },
    async loadProfileFile(text) {
      set({ notice: null, error: null });
      let profile: LatencyProfile;
      try {
        profile = parseProfile(text);
      } catch (e) {
        set({ error: { origin: 'profile', message: `This file cannot be loaded as a latency profile: ${message(e)}.` } });
        return;
      }
      const twin = get().stored?.find((r) => r.profile.name === profile.name);
      const stored = twin && JSON.stringify(twin.profile) === JSON.stringify(profile);
      const name = stored ? profile.name : uniqueName(profile.name, names());
      if (!stored) await remember({ profile: { ...profile, name }, plan: null });
      if (isComplete(profile)) useConfigStore.getState().chooseProfile(name);
      set({
        notice: stored ? `“${name}” is already stored.` : `Loaded “${name}”${name === profile.name ? '' : ' (another profile of the same name is stored)'}${isComplete(profile) ? '' : '; it is partial: resume it to use it'}.`,
      });
    },
    async measure(structures, setting, origin) {
      if (get().job) return;
      const id = ++lastJob;
      set({ error: null, job: { id, origin, done: 0, total: structures.length, measuring: '' } });
      let key = '';
      try {
        await withSearchPaused(async () => {
          for (const [i, structure] of structures.entries()) {
            key = measurementKey(structure, setting);
            set({ job: { id, origin, done: i, total: structures.length, measuring: key } });
            const timing = await scoreWorkerCall(setting.threads, (api) => api.measureLatency(structure, setting));
            set((s) => ({ measurements: { ...s.measurements, [key]: { ...timing, resolution: setting.resolution } } }));
          }
        });
      } catch (e) {
        if (!isCancel(e)) set({ error: { origin, key, message: explain(e, 'measurement') } });
      } finally {
        set({ job: null });
      }
    },
  };
});

/** the stored profile the set-up names (the active one), as the form reads it */
export function useNamedProfile(): NamedProfile {
  const name = useConfigStore((s) => s.draft.latencyProfile);
  // a draft naming no profile needs none: it does not wait for the stored ones (whose arrival would
  // otherwise rebuild the config, and re-render the studio, on the page's first frames)
  return useLatencyStore((s) => (name === '' ? null : s.stored === null ? 'loading' : (s.stored.find((r) => r.profile.name === name)?.profile ?? null)));
}

/**
 * The predictor views show latency with: the run's own profile when its config carries one (its
 * budget was checked with it), else the active profile when it is complete; null without one.
 */
export function usePredictor(config: RunConfig | null): LatencyPredictor | null {
  const named = useNamedProfile();
  const profile = config?.latencyProfile ?? (named !== 'loading' && named !== null && isComplete(named) ? named : null);
  return profile ? predictorOf(profile) : null;
}
