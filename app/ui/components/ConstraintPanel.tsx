import { PRESETS } from '../../engine/config';
import { CONFIG_FIELDS, DETECTION_STAGE_WEIGHTS, type FieldPath } from '../../engine/configFields';
import { REFERENCE_NETWORKS } from '../../engine/referenceNetworks';
import { SPACES, SPACE_NAMES } from '../../engine/spaces';
import { effectiveBlockWeights } from '../../engine/scores/madnas';
import { useMemo, type ReactNode } from 'react';
import { isComplete } from '../../engine/latency/profile';
import { defaultWorkers, deviceCores, draftSeed, type BudgetField, type FieldErrors, type NamedProfile } from '../configForm';
import { useConfigStore } from '../stores/configStore';
import { useNamedProfile, usePredictor } from '../stores/latencyStore';
import { InfoLabel, useInfo } from './Info';
import { PredictedLatency } from './PredictedLatency';

const STAGE_HELP = `Weights r_i of the five stages C1 (the stem) … C5 in the score Σ r_i·S_i. Detection uses [${DETECTION_STAGE_WEIGHTS.join(',')}], an empirical default: C3–C5, the maps MAE-DET's FPN reads, count. Each S_i sums every block from the stem on, so a block's term weighs the weights from its stage on: ${effectiveBlockWeights(DETECTION_STAGE_WEIGHTS).join(', ')} for blocks of C1 … C5. Classification uses only the last stage.`;

/** a field's label, with its explanation from the engine's table of config fields behind a "?" */
function FieldLabel({ path, htmlFor, extra }: { path: FieldPath; htmlFor: string; extra?: string }) {
  const field = CONFIG_FIELDS[path];
  const label = `${field.label}${field.kind === 'number' && field.unit === 'px' ? ' (px)' : ''}`;
  return <InfoLabel htmlFor={htmlFor} label={label} topic={field.label.toLowerCase()} help={extra ? `${field.help} ${extra}` : field.help} />;
}

function FieldError({ text }: { text: string | undefined }) {
  return text ? <span className="field-error" role="alert">{text}</span> : null;
}

/**
 * A budget: on or off, and its value. `unavailable` says why it cannot be set (a latency budget
 * without a complete profile); one that is on all the same (from a link) can still be switched off.
 */
function Budget({ field, label, placeholder, errors, disabled, unavailable, children }: { field: BudgetField; label: string; placeholder: string; errors: FieldErrors; disabled: boolean; unavailable?: string; children?: ReactNode }) {
  const budget = useConfigStore((s) => s.draft.budgets[field]);
  const setBudget = useConfigStore((s) => s.setBudget);
  const info = useInfo(`the ${label} budget`, CONFIG_FIELDS[`budgets.${field}`].help);
  const whyId = `why-no-${field}-budget`;
  return (
    <div className="field">
      <span className="field-head">
        <label>
          <input
            type="checkbox"
            checked={budget.on}
            disabled={disabled || (!!unavailable && !budget.on)}
            onChange={(e) => setBudget(field, { on: e.target.checked })}
            aria-label={`${label} budget on`}
            aria-describedby={unavailable ? whyId : undefined}
          />{' '}
          {label} ≤
        </label>
        {info.button}
      </span>
      {info.text}
      <input
        data-testid={`budget-${field}`}
        value={budget.text}
        placeholder={placeholder}
        disabled={disabled || !budget.on || !!unavailable}
        onChange={(e) => setBudget(field, { text: e.target.value })}
        aria-label={`${label} budget`}
        aria-invalid={!!errors[field]}
      />
      {unavailable && !errors[field] && (
        <small id={whyId} data-testid={`why-no-${field}-budget`}>
          {unavailable}
        </small>
      )}
      {children}
      <FieldError text={errors[field]} />
    </div>
  );
}

/** why a latency budget cannot be set, or null when the active profile can predict it */
function latencyUnavailable(named: NamedProfile): string | null {
  if (named === 'loading') return 'Reading the stored device profiles…';
  if (named === null) return 'Profile this device first (Latency on this device, below).';
  if (!isComplete(named)) return 'The active profile is partial: resume it first (below).';
  return null;
}

/** the latency budget, with what the starting network is predicted to take on the active profile */
function LatencyBudget({ errors, disabled }: { errors: FieldErrors; disabled: boolean }) {
  const named = useNamedProfile();
  const predictor = usePredictor(null);
  const draft = useConfigStore((s) => s.draft);
  const seed = useMemo(() => draftSeed(draft), [draft]);
  const placeholder = predictor && seed ? (1.2 * predictor.predictMs(seed)).toFixed(1) : '12.5';
  return (
    <Budget field="latency" label="Latency (ms)" placeholder={placeholder} errors={errors} disabled={disabled} unavailable={latencyUnavailable(named) ?? undefined}>
      {predictor && seed && (
        <small>
          starting network: <PredictedLatency structure={seed} predictor={predictor} testId="seed-latency" />
        </small>
      )}
    </Budget>
  );
}

/** The search set-up: every field validates as you type, with the reason beside it. */
export function ConstraintPanel({ errors, disabled }: { errors: FieldErrors; disabled: boolean }) {
  const draft = useConfigStore((s) => s.draft);
  const { choosePreset, setField, setRatio } = useConfigStore.getState();
  return (
    <fieldset className="panel constraints" disabled={disabled}>
      <legend>Search set-up</legend>
      <div className="field">
        <InfoLabel htmlFor="preset" label="Preset" topic="a preset" help={`A whole set-up in one choice. ${PRESETS.find((p) => p.name === draft.preset)?.description ?? ''}`} />
        <select id="preset" data-testid="preset-select" value={draft.preset} onChange={(e) => choosePreset(e.target.value)}>
          {PRESETS.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <FieldLabel path="space.type" htmlFor="space" extra={`${draft.space}: ${SPACES[draft.space].description}.`} />
        <select id="space" value={draft.space} onChange={(e) => setField('space', e.target.value as typeof draft.space)}>
          {SPACE_NAMES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <FieldError text={errors.space} />
      </div>
      <div className="field">
        <FieldLabel path="imageSize" htmlFor="image-size" />
        <input id="image-size" value={draft.imageSize} inputMode="numeric" onChange={(e) => setField('imageSize', e.target.value)} aria-invalid={!!errors.imageSize} />
        <FieldError text={errors.imageSize} />
      </div>
      <Budget field="flops" label="FLOPs" placeholder="18.8 G" errors={errors} disabled={disabled} />
      <Budget field="macs" label="MACs" placeholder="40 M" errors={errors} disabled={disabled} />
      <Budget field="params" label="Params" placeholder="25.5 M" errors={errors} disabled={disabled} />
      <Budget field="layers" label="Layers" placeholder="91" errors={errors} disabled={disabled} />
      <LatencyBudget errors={errors} disabled={disabled} />
      <div className="field">
        <span id="ratio-label">
          <InfoLabel label="Stage weights" topic="the stage weights" help={STAGE_HELP} />
        </span>
        <div className="ratio" role="group" aria-labelledby="ratio-label">
          {draft.ratio.map((r, i) => (
            <input key={i} value={r} aria-label={`weight of stage C${i + 1}`} inputMode="decimal" onChange={(e) => setRatio(i, e.target.value)} />
          ))}
        </div>
        <small className="ratio-names" aria-hidden="true">
          {draft.ratio.map((_, i) => (
            <span key={i}>C{i + 1}</span>
          ))}
        </small>
        <FieldError text={errors.ratio} />
      </div>
      <div className="field">
        <FieldLabel path="search.popuSize" htmlFor="popu" />
        <input id="popu" value={draft.popuSize} inputMode="numeric" onChange={(e) => setField('popuSize', e.target.value)} />
        <FieldError text={errors.popuSize} />
      </div>
      <div className="field">
        <FieldLabel path="search.numRandomNets" htmlFor="children" />
        <input id="children" data-testid="iterations" value={draft.children} inputMode="numeric" onChange={(e) => setField('children', e.target.value)} />
        <FieldError text={errors.children} />
      </div>
      <div className="field">
        <FieldLabel path="search.seed" htmlFor="seed" />
        <input id="seed" data-testid="seed" value={draft.seed} inputMode="numeric" onChange={(e) => setField('seed', e.target.value)} />
        <FieldError text={errors.seed} />
      </div>
      <div className="field">
        <FieldLabel path="score.type" htmlFor="objective" />
        <select
          id="objective"
          data-testid="objective"
          value={draft.objective}
          onChange={(e) => {
            const objective = e.target.value as 'madnas' | 'entropy';
            setField('objective', objective);
            // a measured search is one search; its forward passes run in a scoring worker
            if (objective === 'entropy') setField('workers', '1');
          }}
        >
          <option value="madnas">analytic (madnas)</option>
          <option value="entropy">measured (forward pass)</option>
        </select>
        {draft.objective === 'entropy' && (
          <div className="ratio" role="group" aria-label="measured entropy settings">
            <input value={draft.entropy.batch} aria-label="measured entropy batch" title="batch" onChange={(e) => setField('entropy', { ...draft.entropy, batch: e.target.value })} />
            <input value={draft.entropy.resolution} aria-label="measured entropy resolution" title="resolution (px)" onChange={(e) => setField('entropy', { ...draft.entropy, resolution: e.target.value })} />
            <input value={draft.entropy.repeats} aria-label="measured entropy repeats" title="repeats" onChange={(e) => setField('entropy', { ...draft.entropy, repeats: e.target.value })} />
            <input value={draft.entropy.childrenPerCall} aria-label="measured entropy children per call" title="children per scoring call" onChange={(e) => setField('entropy', { ...draft.entropy, childrenPerCall: e.target.value })} />
          </div>
        )}
        {draft.objective === 'entropy' && <small>Batch (images), resolution (px) and repeats of each child's forward pass, as MAE-DET measured it (the paper: batch 32 at 480, 4 repeats); then the children per scoring call (one call is measured while the next is mutated).</small>}
        <FieldError text={errors.entropy} />
      </div>
      <div className="field">
        <FieldLabel path="search.workers" htmlFor="workers" />
        <input id="workers" data-testid="workers" value={draft.workers} inputMode="numeric" onChange={(e) => setField('workers', e.target.value)} aria-invalid={!!errors.workers} />
        <small data-testid="workers-hint">
          By default one per core but one, which keeps the page smooth: {defaultWorkers()} of this device&apos;s {deviceCores()} core{deviceCores() > 1 ? 's' : ''}. A random seed gives the same result for the same count.
        </small>
        <FieldError text={errors.workers} />
      </div>
      <div className="field">
        <FieldLabel path="space.draw" htmlFor="draw" />
        <select id="draw" value={draft.draw} onChange={(e) => setField('draw', e.target.value as 'inclusive' | 'main')}>
          <option value="inclusive">inclusive (any block)</option>
          <option value="main">main branch (never the last block)</option>
        </select>
      </div>
      <div className="field">
        <InfoLabel
          htmlFor="seed-net"
          label="Starting network"
          topic="the starting network"
          help={`The network the search starts from (TinyNAS's "seed structure"): the population begins as copies of it and every child descends from it; it must fit the budgets. ${REFERENCE_NETWORKS.find((n) => n.name === draft.seedNet)?.description ?? 'Paste a TinyNAS or JSON structure.'}`}
        />
        <select id="seed-net" value={draft.seedNet} onChange={(e) => setField('seedNet', e.target.value)}>
          {REFERENCE_NETWORKS.map((n) => (
            <option key={n.name} value={n.name}>
              {n.label}
            </option>
          ))}
          <option value="pasted">paste TinyNAS / JSON…</option>
        </select>
        {draft.seedNet === 'pasted' && <textarea rows={6} value={draft.pastedSeed} placeholder="[{'class': 'ConvKXBNRELU', 'in': 3, 'out': 32, 's': 2, 'k': 3}, ...]" onChange={(e) => setField('pastedSeed', e.target.value)} aria-label="starting network structure" />}
        <FieldError text={errors.seedStructure} />
      </div>
    </fieldset>
  );
}
