import { lazy, Suspense, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { Block, BlockClass } from '../../engine/block';
import { findBlockKind } from '../../engine/blocks/registry';
import { budgetsOf, type RunConfig } from '../../engine/config';
import { reportOrReason, viewEdited, type EditableKey } from '../../engine/edit';
import { findReferenceNetwork, REFERENCE_NETWORKS } from '../../engine/referenceNetworks';
import { parseStructure, toJSON } from '../../engine/structure';
import { formatGiga, formatLatency, formatMega } from '../format';
import { usePredictor } from '../stores/latencyStore';
import { MeasureLatency } from './MeasureLatency';
import { PredictedLatency } from './PredictedLatency';
import { editorHash, navigate } from '../route';
import { SPACE_NAMES, SPACES } from '../../engine/spaces';
import { useConfigStore } from '../stores/configStore';
import { expectedNumber, historyShortcut, readWholeNumber, useEditorStore, type NumberKey } from '../stores/editorStore';
import { ActionButton } from './ActionButton';
import { NetworkDrawing, StageBars } from './NetworkDrawing';
import { DETECTION_STAGE_WEIGHTS } from '../../engine/configFields';
import './editor.css';

// a block's class can become that of any search space
const SPACE_CLASSES: BlockClass[] = [...new Set(SPACE_NAMES.flatMap((n) => SPACES[n].blockClasses))];
const CandidateActions = lazy(() => import('./CandidateActions').then((m) => ({ default: m.CandidateActions })));
const KERNELS = [1, 3, 5, 7];

function Delta({ now, before, format }: { now: number; before: number; format: (v: number) => string }) {
  const d = now - before;
  if (d === 0) return null;
  return (
    <span className={d > 0 ? 'delta up' : 'delta down'}>
      {' '}
      ({d > 0 ? '+' : '−'}
      {format(Math.abs(d))})
    </span>
  );
}

/**
 * A number typed freely and applied on Enter or on leaving the field (not per keystroke, so "2"
 * on the way to "24" is never an edit). Text the field cannot apply is never applied: the field is
 * marked and says beside it what it expects. It shows the value again when that changes elsewhere
 * (undo, redo, another edit: `version`), on Escape, and on Ctrl+Z while it holds text not applied.
 */
function CommitField({
  label,
  value,
  version,
  size,
  invalidReason,
  refusal = null,
  onCommit,
  onDismiss,
}: {
  label: string;
  value: number;
  /** changes when the field should show its value again though the value may be the same */
  version?: unknown;
  size: number;
  /** what the field expects, when its text is not that; null when the text can be applied */
  invalidReason: (text: string) => string | null;
  /** why the value last applied from this field was refused */
  refusal?: string | null;
  onCommit: (value: number) => void;
  /** the refusal no longer applies: the field was retyped or reverted */
  onDismiss?: () => void;
}) {
  const [text, setText] = useState(String(value));
  // the reason is shown once the text is offered (Enter, leaving), not while a number is typed
  const [offered, setOffered] = useState(false);
  // a value changed elsewhere replaces the text, in the render that sees it
  const [synced, setSynced] = useState({ value, version });
  if (value !== synced.value || version !== synced.version) {
    setSynced({ value, version });
    setText(String(value));
    setOffered(false);
  }
  const messageId = useId();
  const reason = invalidReason(text);
  const invalid = offered ? reason : null;
  const message = invalid ?? refusal;
  const commit = () => {
    if (reason !== null) setOffered(true);
    else if (Number(text) !== value) onCommit(Number(text));
    else setText(String(value));
  };
  const revert = () => {
    setText(String(value));
    setOffered(false);
    if (refusal !== null) onDismiss?.();
  };
  const keyDown = (e: ReactKeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') commit();
    else if (e.key === 'Escape') revert();
    else if (historyShortcut(e) === 'undo' && text !== String(value)) {
      // Ctrl+Z first discards text typed but not applied, so the field shows the network's value
      // again; only then does it reach the editor and undo the last edit of the network. The
      // browser's own text undo never runs: it would show a number the network does not have.
      e.preventDefault();
      revert();
    }
  };
  return (
    <span className="commit-field">
      <input
        aria-label={label}
        aria-invalid={message !== null}
        aria-describedby={message !== null ? messageId : undefined}
        value={text}
        inputMode="numeric"
        size={size}
        onChange={(e) => {
          setText(e.target.value);
          if (refusal !== null) onDismiss?.();
        }}
        onBlur={commit}
        onKeyDown={keyDown}
      />
      {message !== null && (
        // announced once: an engine refusal by the alert at the top of the editor, the field's own check here
        <span id={messageId} className="field-error field-message" role={invalid !== null ? 'alert' : undefined}>
          {message}
        </span>
      )}
    </span>
  );
}

function NumberCell({ block, index, field }: { block: Block; index: number; field: NumberKey }) {
  const edit = useEditorStore((s) => s.edit);
  const dismissError = useEditorStore((s) => s.dismissError);
  const structure = useEditorStore((s) => s.structure);
  const refusal = useEditorStore((s) => (s.errorAt?.block === index && s.errorAt.key === field ? s.error : null));
  const value = block[field];
  if (value === undefined) return <td />;
  return (
    <td>
      <CommitField
        label={`block ${index} ${field}`}
        value={value}
        version={structure}
        size={5}
        invalidReason={(text) => (readWholeNumber(text) === null ? expectedNumber(index, field) : null)}
        refusal={refusal}
        onCommit={(n) => edit({ type: 'set', block: index, key: field, value: n })}
        onDismiss={dismissError}
      />
    </td>
  );
}

const resolutionReason = (text: string) => (/^\d{2,4}$/.test(text) && Number(text) >= 32 ? null : 'input resolution: a whole number of pixels from 32 to 9999');

/** the input side the FLOPs are counted at; it lives in the URL, so a link reopens the same view */
function ResolutionField({ resolution, onChange }: { resolution: number; onChange: (resolution: number) => void }) {
  return (
    <label>
      at <CommitField label="input resolution" value={resolution} size={4} invalidReason={resolutionReason} onCommit={onChange} />
      {' '}px
    </label>
  );
}

function BlockRow({ block, index, count }: { block: Block; index: number; count: number }) {
  const edit = useEditorStore((s) => s.edit);
  const set = (key: EditableKey, value: number) => edit({ type: 'set', block: index, key, value });
  const isSuper = findBlockKind(block.class)!.isSuper;
  return (
    <tr>
      <td>{index}</td>
      <td>
        {isSuper ? (
          <select aria-label={`block ${index} class`} value={block.class} onChange={(e) => edit({ type: 'class', block: index, className: e.target.value as BlockClass })}>
            {SPACE_CLASSES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        ) : (
          block.class
        )}
      </td>
      <td>{block.in}</td>
      <NumberCell block={block} index={index} field="out" />
      <td>
        <select aria-label={`block ${index} k`} value={block.k} onChange={(e) => set('k', Number(e.target.value))}>
          {KERNELS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </td>
      <td>
        <select aria-label={`block ${index} s`} value={block.s} onChange={(e) => set('s', Number(e.target.value))}>
          <option>1</option>
          <option>2</option>
        </select>
      </td>
      <NumberCell block={block} index={index} field="btn" />
      <NumberCell block={block} index={index} field="L" />
      <td>
        {index > 0 && (
          <button aria-label={`insert a block after block ${index}`} onClick={() => edit({ type: 'insert', after: index })}>
            +
          </button>
        )}{' '}
        {index > 0 && count > 2 && (
          <button aria-label={`remove block ${index}`} onClick={() => edit({ type: 'remove', block: index })}>
            −
          </button>
        )}
      </td>
    </tr>
  );
}

/**
 * The architecture editor: open a reference network, a candidate or a pasted structure, edit its
 * blocks, and see params, FLOPs, layers, budget fit and the entropy score move with every edit.
 */
export function EditorView({ network, resolution, config }: { network: string | null; resolution: number; config: RunConfig | null }) {
  const { original, structure, past, future, error, open, undo, redo, ratio: openedWith } = useEditorStore();
  const [pasted, setPasted] = useState('');
  const [pasteError, setPasteError] = useState<string | null>(null);
  const ratio = openedWith ?? config?.score.multiBlockRatio ?? DETECTION_STAGE_WEIGHTS;
  useEffect(() => {
    const net = network ? findReferenceNetwork(network) : undefined;
    if (net) open(net.structure, net.ratio ?? null);
    else if (useEditorStore.getState().structure.length === 0) open(findReferenceNetwork('r50_det_seed')!.structure);
  }, [network, open]);
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    const keys = (e: KeyboardEvent) => {
      const action = historyShortcut(e);
      // a field that used the key (to discard its pending text) has prevented its default
      if (action === null || e.defaultPrevented) return;
      // in the editor, or with nothing focused; a field elsewhere (the search set-up) and the
      // pasted structure's textarea keep the browser's text undo
      const target = e.target as Node;
      if (target !== document.body && !section.current?.contains(target)) return;
      if (target instanceof HTMLTextAreaElement) return;
      e.preventDefault();
      if (action === 'undo') undo();
      else redo();
    };
    addEventListener('keydown', keys);
    return () => removeEventListener('keydown', keys);
  }, [undo, redo]);
  const budgets = useMemo(() => (config ? budgetsOf(config) : {}), [config]);
  const view = useMemo(() => (structure.length > 0 ? viewEdited(structure, resolution, ratio, budgets) : null), [structure, resolution, ratio, budgets]);
  const before = useMemo(() => (original.length > 0 ? reportOrReason(original, resolution, ratio) : ''), [original, resolution, ratio]);
  const predictor = usePredictor(config);
  const latency = useMemo(() => predictor && structure.length > 0 && { now: predictor.predictMs(structure), before: original.length > 0 ? predictor.predictMs(original) : NaN }, [predictor, structure, original]);
  if (!view) return null;
  const { report: now, space } = view;
  // the engine's view checks the budgets it can compute alone; a latency budget needs the profile's prediction
  const latencyBudget = budgets.latency;
  const violations = latency && latencyBudget !== undefined && latency.now > latencyBudget ? [...view.violations, { key: 'latency' as const, value: latency.now, budget: latencyBudget }] : view.violations;
  // the studio refuses a seed outside its space or budgets: say so here, before leaving
  const searchBlocker = 'reason' in space ? `Search from here needs one search space: ${space.reason}` : violations.length > 0 ? 'Search from here needs a starting network within the budgets' : null;
  const searchFromHere = () => {
    const { loadDraft, draft } = useConfigStore.getState();
    if ('space' in space) loadDraft({ ...draft, seedNet: 'pasted', pastedSeed: toJSON(structure), space: space.space });
    navigate('');
  };
  return (
    <section ref={section} className="panel editor" data-testid="editor" aria-label="Architecture editor">
      <header className="editor-head">
        <h2>Architecture editor</h2>
        <label>
          open{' '}
          <select value={network ?? ''} onChange={(e) => navigate(editorHash(e.target.value, resolution))}>
            <option value="" disabled>
              a reference network…
            </option>
            {REFERENCE_NETWORKS.map((n) => (
              <option key={n.name} value={n.name}>
                {n.label}
              </option>
            ))}
          </select>
        </label>
        <ResolutionField resolution={resolution} onChange={(r) => navigate(editorHash(network, r))} />
        <ActionButton onClick={undo} disabled={past.length === 0} aria-keyshortcuts="Control+Z">
          Undo
        </ActionButton>
        <ActionButton onClick={redo} disabled={future.length === 0} aria-keyshortcuts="Control+Y Control+Shift+Z">
          Redo
        </ActionButton>
        <ActionButton data-testid="editor-search" onClick={searchFromHere} disabled={searchBlocker !== null} aria-describedby={searchBlocker ? 'why-no-search' : undefined}>
          Search from here
        </ActionButton>
        {searchBlocker && (
          <span className="hint" id="why-no-search">
            {searchBlocker}
          </span>
        )}
      </header>
      {error && (
        <p className="field-error" role="alert" data-testid="editor-error">
          {error}
        </p>
      )}
      {typeof now === 'string' ? (
        <p className="field-error">{now}</p>
      ) : (
        <dl className="stats editor-stats">
          <dt>Params</dt>
          <dd data-testid="editor-params" data-value={now.params}>
            {formatMega(now.params)}
            {typeof before !== 'string' && <Delta now={now.params} before={before.params} format={(v) => formatMega(v)} />}
          </dd>
          <dt>FLOPs at {resolution}</dt>
          <dd data-testid="editor-flops" data-value={now.flops}>
            {formatGiga(now.flops)}
            {typeof before !== 'string' && <Delta now={now.flops} before={before.flops} format={(v) => formatGiga(v)} />}
          </dd>
          <dt>FLOPs at 1280×800 (paper)</dt>
          <dd>{formatGiga(now.paperFlops1280x800, 1)}</dd>
          <dt>Layers</dt>
          <dd>
            {now.layers}
            {typeof before !== 'string' && <Delta now={now.layers} before={before.layers} format={String} />}
          </dd>
          <dt>Entropy score</dt>
          <dd data-testid="editor-score" data-value={now.madnas}>
            {now.madnas.toFixed(2)}
            {typeof before !== 'string' && <Delta now={now.madnas} before={before.madnas} format={(v) => v.toFixed(2)} />}
          </dd>
          <dt>Latency{predictor ? ` at ${predictor.resolution} px` : ''}</dt>
          <dd data-testid="editor-latency" data-value={latency && Number.isFinite(latency.now) ? latency.now : ''}>
            <PredictedLatency structure={structure} predictor={predictor} testId="editor-predicted-latency" />
            {latency && Number.isFinite(latency.now) && Number.isFinite(latency.before) && <Delta now={latency.now} before={latency.before} format={formatLatency} />}
          </dd>
          <dt>Budgets</dt>
          <dd data-testid="editor-budget">
            {violations.length === 0
              ? 'within every budget'
              : violations.map((v) => (Number.isFinite(v.value) ? `${v.key} over by ${(((v.value - v.budget) / v.budget) * 100).toFixed(1)}%` : `${v.key} outside the profile`)).join(', ')}
          </dd>
          <dt>Search space</dt>
          <dd data-testid="editor-space">{'space' in space ? space.space : space.reason}</dd>
        </dl>
      )}
      {searchBlocker && <p className="hint">{searchBlocker}.</p>}
      {typeof now !== 'string' && (
        <Suspense fallback={<p className="hint">loading the exporters…</p>}>
          <CandidateActions member={{ structure, score: now.madnas, flops: now.flops, params: now.params, layers: now.layers }} ratio={ratio} name={`${network ?? 'edited'}_${now.madnas.toFixed(0)}`} />
        </Suspense>
      )}
      <MeasureLatency structure={structure} predictor={predictor} />
      {typeof now !== 'string' && <StageBars values={now.madnasPerStage} />}
      {typeof now !== 'string' && <NetworkDrawing structure={structure} report={now} />}
      <div className="editor-blocks-scroll">
        <table className="blocks editor-blocks">
          <thead>
            <tr>
              <th>#</th>
              <th>class</th>
              <th>in</th>
              <th>out</th>
              <th>k</th>
              <th>s</th>
              <th>btn</th>
              <th>L</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {structure.map((b, i) => (
              <BlockRow key={i} block={b} index={i} count={structure.length} />
            ))}
          </tbody>
        </table>
      </div>
      <details>
        <summary>Open a pasted TinyNAS / JSON structure</summary>
        <textarea rows={5} value={pasted} onChange={(e) => setPasted(e.target.value)} aria-label="structure to open" />
        <button
          onClick={() => {
            try {
              open(parseStructure(pasted));
              setPasteError(null);
            } catch (e) {
              setPasteError(e instanceof Error ? e.message : String(e));
            }
          }}
        >
          Open
        </button>
        {pasteError && <p className="field-error">{pasteError}</p>}
      </details>
    </section>
  );
}
