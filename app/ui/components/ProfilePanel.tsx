import { useMemo, useRef, type ReactNode } from 'react';
import { isComplete, type LatencyProfile } from '../../engine/latency/profile';
import { buildConfig, type ConfigDraft } from '../configForm';
import { downloadFile } from '../download';
import { useConfigStore } from '../stores/configStore';
import { useLatencyStore, type ProfileSettings } from '../stores/latencyStore';
import type { StoredProfile } from '../profileStorage';
import { DEFAULT_THREADS, type ProviderChoice } from '../../../workers/scoreApi';
import { ActionButton } from './ActionButton';

/** the input sides a profile may be made at: larger ones take minutes per unit */
const MIN_SIDE = 32;
const MAX_SIDE = 1024;

/** the set-up without its latency budget: the plan's space, seed and budgets (a profile cannot need itself) */
const withoutLatencyBudget = (draft: ConfigDraft): ConfigDraft => ({ ...draft, budgets: { ...draft.budgets, latency: { ...draft.budgets.latency, on: false } } });

function readSide(text: string): number | null {
  const n = Number(text);
  return /^\s*\d+\s*$/.test(text) && n >= MIN_SIDE && n <= MAX_SIDE ? n : null;
}

/** a profile's file name: its name with anything a file system might refuse replaced */
const fileName = (name: string) => `latency-profile-${name.replace(/[^\w.-]+/g, '-')}.json`;

/** an ISO date as local "2026-12-06 13:04" (by hand: the first date formatting of a page loads ICU's formats, a long pause) */
function localDate(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** what a profile was measured on, for the list: backend and threads, runtime, adapter, isolation, size, date, units, time */
function describeStored(p: LatencyProfile): string {
  const d = p.device;
  const threads = d.backend === 'webgpu' ? '' : `, ${d.threads} thread${d.threads === 1 ? '' : 's'}`;
  return [
    `${d.backend}${threads}`,
    d.runtime,
    d.adapter,
    d.crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated',
    `${p.resolution} px`,
    localDate(p.date),
    `${p.units.length} of ${p.plan.units} units, ${p.networks.length} of ${p.plan.calibration} networks`,
    `${p.seconds.toFixed(0)} s`,
  ].join(' · ');
}

function StoredProfileItem({ record, active, busy, onResume }: { record: StoredProfile; active: boolean; busy: boolean; onResume: () => void }) {
  const { profile } = record;
  const complete = isComplete(profile);
  const { removeProfile } = useLatencyStore.getState();
  return (
    <li data-testid="stored-profile" data-name={profile.name} data-complete={complete}>
      <label>
        <input type="radio" name="active-profile" checked={active} disabled={!complete} onChange={() => useConfigStore.getState().chooseProfile(profile.name)} /> {profile.name}
      </label>
      {!complete && <span className="partial"> (partial)</span>}
      <small>{describeStored(profile)}</small>
      <div className="buttons">
        <button aria-label={`Download “${profile.name}” as JSON`} data-testid="download-profile" onClick={() => downloadFile(fileName(profile.name), `${JSON.stringify(profile, null, 1)}\n`, 'application/json')}>
          Download
        </button>
        {!complete && (
          <ActionButton data-testid="resume-profile" aria-label={`Resume “${profile.name}”`} disabled={busy} onClick={onResume}>
            Resume
          </ActionButton>
        )}
        <ActionButton aria-label={`Delete “${profile.name}”`} data-testid="delete-profile" disabled={busy} onClick={() => void removeProfile(profile.name)}>
          Delete
        </ActionButton>
      </div>
    </li>
  );
}

/** Start, and the profile being made: units done of the total, seconds, the unit being timed, Cancel */
function ProfileProgress() {
  const job = useLatencyStore((s) => (s.job?.origin === 'profile' ? s.job : null));
  if (!job) return null;
  const p = job.progress;
  return (
    <div className="profile-progress" role="status">
      {p ? <progress max={p.total} value={p.done} aria-label="units and networks measured" /> : <progress aria-label="starting to profile" />}
      <span data-testid="profile-progress" data-done={p?.done} data-total={p?.total}>
        {p ? `${p.done} / ${p.total} · ${p.seconds.toFixed(0)} s · ${p.phase === 'units' ? 'unit' : 'network'} ${p.current}` : 'starting…'}
      </span>
      <button data-testid="cancel-profile" onClick={useLatencyStore.getState().cancel}>
        Cancel
      </button>
    </div>
  );
}

function Setting({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}

/**
 * Latency on this device: make a device profile (the units of the set-up's space, each timed
 * alone, and a few whole networks to calibrate), keep it in this browser, choose the active one,
 * download it, load one, resume a partial one.
 */
export function ProfilePanel() {
  const draft = useConfigStore((s) => s.draft);
  const planConfig = useMemo(() => buildConfig(withoutLatencyBudget(draft)).config, [draft]);
  const settings = useLatencyStore((s) => s.settings);
  const stored = useLatencyStore((s) => s.stored);
  const error = useLatencyStore((s) => s.error);
  const notice = useLatencyStore((s) => s.notice);
  const busy = useLatencyStore((s) => s.job !== null);
  const { setSetting, profileDevice, resumeProfile, loadProfileFile } = useLatencyStore.getState();
  const fileInput = useRef<HTMLInputElement>(null);
  const side = readSide(settings.resolution);
  const active = draft.latencyProfile;
  const missing = active !== '' && stored !== null && !stored.some((r) => r.profile.name === active);
  const why = !planConfig ? 'The set-up is not valid: fix it first (the plan is read off its space).' : side === null ? `Input size: a whole number of pixels from ${MIN_SIDE} to ${MAX_SIDE}.` : null;
  const start = () => planConfig && side !== null && void profileDevice({ config: planConfig, resolution: side, quick: settings.plan === 'quick', provider: settings.provider, threads: DEFAULT_THREADS });
  const profileError = error?.origin === 'profile' ? error.message : null;
  return (
    <details className="panel profile-panel" data-testid="profile-panel">
      <summary>
        Latency on this device <span className="hint">· {active && !missing ? active : 'no profile'}</span>
      </summary>
      <p className="hint">
        Profile this device once: the building blocks (units) of the set-up&apos;s space are timed alone, and a few whole networks calibrate their sum.
        Then any network&apos;s latency is predicted in microseconds — in the leaderboard, the candidate, the editor and for a latency budget — at the
        profile&apos;s input size, one image at a time.
      </p>
      <Setting id="profile-backend" label="Backend">
        <select id="profile-backend" value={settings.provider} disabled={busy} onChange={(e) => setSetting('provider', e.target.value as ProviderChoice)}>
          <option value="auto">auto: WebGPU on a hardware adapter, else wasm</option>
          <option value="webgpu">WebGPU</option>
          <option value="wasm">wasm (CPU, {DEFAULT_THREADS} thread{DEFAULT_THREADS === 1 ? '' : 's'})</option>
        </select>
      </Setting>
      <Setting id="profile-resolution" label="Input size (px)">
        <input id="profile-resolution" data-testid="profile-resolution" value={settings.resolution} inputMode="numeric" disabled={busy} aria-invalid={side === null} onChange={(e) => setSetting('resolution', e.target.value)} />
      </Setting>
      <Setting id="profile-plan" label="Plan">
        <select id="profile-plan" data-testid="profile-plan" value={settings.plan} disabled={busy} onChange={(e) => setSetting('plan', e.target.value as ProfileSettings['plan'])}>
          <option value="quick">quick: ~360 units, under a minute</option>
          <option value="full">full: ~900 units, 1–2 minutes</option>
        </select>
      </Setting>
      <div className="buttons">
        <ActionButton data-testid="profile-start" disabled={busy || why !== null} aria-describedby={why ? 'why-no-profile' : undefined} onClick={start}>
          Profile this device
        </ActionButton>
      </div>
      {why && (
        <small className="field-error" id="why-no-profile">
          {why}
        </small>
      )}
      <p className="hint">A running search is paused while this device is timed, and goes on after.</p>
      <ProfileProgress />
      {profileError && (
        <p className="field-error" role="alert" data-testid="profile-error">
          {profileError}
        </p>
      )}
      {notice && (
        <p role="status" data-testid="profile-notice">
          {notice}
        </p>
      )}
      {missing && <p className="field-error">The set-up names the profile “{active}”, which is not stored on this device.</p>}
      <h3>Stored profiles</h3>
      {stored === null ? (
        <p className="hint">reading…</p>
      ) : stored.length === 0 ? (
        <p className="hint">None yet.</p>
      ) : (
        <ul className="profiles" aria-label="stored profiles">
          {stored.map((record) => (
            <StoredProfileItem key={record.profile.name} record={record} active={record.profile.name === active} busy={busy} onResume={() => void resumeProfile(record.profile.name, planConfig)} />
          ))}
        </ul>
      )}
      <div className="buttons">
        {/* a real button opens the file picker, so the keyboard reaches it */}
        <ActionButton disabled={busy} onClick={() => fileInput.current?.click()}>
          Load a profile file
        </ActionButton>
        <input
          ref={fileInput}
          data-testid="load-profile"
          type="file"
          accept=".json,application/json"
          hidden
          onChange={(e) => {
            const file = e.target.files?.[0];
            // the same file can be loaded again
            e.target.value = '';
            void file?.text().then(loadProfileFile);
          }}
        />
      </div>
    </details>
  );
}
