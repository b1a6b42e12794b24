import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { Block, BlockClass } from '../../engine/block';
import { findBlockKind } from '../../engine/blocks/registry';
import { budgetsOf, type RunConfig } from '../../engine/config';
import { reportOrReason, viewEdited, type EditableKey } from '../../engine/edit';
import { findReferenceNetwork, REFERENCE_NETWORKS } from '../../engine/referenceNetworks';
import { parseStructure, toJSON } from '../../engine/structure';
import { formatGiga, formatMega } from '../format';
import { editorHash, navigate } from '../route';
import { SPACE_NAMES, SPACES } from '../../engine/spaces';
import { useConfigStore } from '../stores/configStore';
import { useEditorStore } from '../stores/editorStore';
import { NetworkDrawing, StageBars } from './NetworkDrawing';
import { DETECTION_STAGE_WEIGHTS } from '../../engine/configFields';

// a block's class can become that of any search space
const SPACE_CLASSES: BlockClass[] = SPACE_NAMES.map((n) => SPACES[n].blockClass);
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
 * on the way to "24" is never an edit); it follows the value when that changes elsewhere (undo).
 */
function CommitField({ label, value, size, invalidReason, onCommit }: { label: string; value: number; size: number; invalidReason?: (text: string) => string | null; onCommit: (value: number) => void }) {
  const [text, setText] = useState(String(value));
  // a value changed elsewhere (undo) replaces the text, in the render that sees it
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    setText(String(value));
  }
  const reason = invalidReason?.(text) ?? null;
  const commit = () => reason === null && Number(text) !== value && onCommit(Number(text));
  return (
    <input aria-label={label} aria-invalid={reason !== null} title={reason ?? undefined} value={text} inputMode="numeric" size={size} onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />
  );
}

function NumberCell({ block, index, field }: { block: Block; index: number; field: 'out' | 'btn' | 'L' }) {
  const edit = useEditorStore((s) => s.edit);
  const value = block[field];
  if (value === undefined) return <td />;
  return (
    <td>
      <CommitField label={`block ${index} ${field}`} value={value} size={5} onCommit={(n) => edit({ type: 'set', block: index, key: field, value: n })} />
    </td>
  );
}

const resolutionReason = (text: string) => (/^\d{2,4}$/.test(text) && Number(text) >= 32 ? null : 'a whole number of pixels from 32 to 9999');

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
  const { original, structure, past, future, error, open, undo, redo } = useEditorStore();
  const [pasted, setPasted] = useState('');
  const [pasteError, setPasteError] = useState<string | null>(null);
  const ratio = config?.score.multiBlockRatio ?? DETECTION_STAGE_WEIGHTS;
  useEffect(() => {
    const net = network ? findReferenceNetwork(network) : undefined;
    if (net) open(net.structure);
    else if (useEditorStore.getState().structure.length === 0) open(findReferenceNetwork('r50_det_seed')!.structure);
  }, [network, open]);
  useEffect(() => {
    const keys = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || (e.target as HTMLElement).tagName === 'INPUT') return;
      if (e.key === 'z') undo();
      if (e.key === 'y') redo();
    };
    addEventListener('keydown', keys);
    return () => removeEventListener('keydown', keys);
  }, [undo, redo]);
  const budgets = useMemo(() => (config ? budgetsOf(config) : {}), [config]);
  const view = useMemo(() => (structure.length > 0 ? viewEdited(structure, resolution, ratio, budgets) : null), [structure, resolution, ratio, budgets]);
  const before = useMemo(() => (original.length > 0 ? reportOrReason(original, resolution, ratio) : ''), [original, resolution, ratio]);
  if (!view) return null;
  const { report: now, violations, space } = view;
  // the studio refuses a seed outside its space or budgets: say so here, before leaving
  const searchBlocker = 'reason' in space ? `Search from here needs one search space: ${space.reason}` : violations.length > 0 ? 'Search from here needs a seed within the budgets' : null;
  const searchFromHere = () => {
    const { loadDraft, draft } = useConfigStore.getState();
    if ('space' in space) loadDraft({ ...draft, seedNet: 'pasted', pastedSeed: toJSON(structure), space: space.space });
    navigate('');
  };
  return (
    <section className="panel editor" data-testid="editor" aria-label="Architecture editor">
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
        <button onClick={undo} disabled={past.length === 0}>
          Undo
        </button>
        <button onClick={redo} disabled={future.length === 0}>
          Redo
        </button>
        <button data-testid="editor-search" onClick={searchFromHere} disabled={searchBlocker !== null} title={searchBlocker ?? 'open the studio with this network as the search seed'}>
          Search from here
        </button>
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
          <dt>Budgets</dt>
          <dd data-testid="editor-budget">{violations.length === 0 ? 'within every budget' : violations.map((v) => `${v.key} over by ${(((v.value - v.budget) / v.budget) * 100).toFixed(1)}%`).join(', ')}</dd>
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
      {typeof now !== 'string' && <StageBars values={now.madnasPerStage} />}
      {typeof now !== 'string' && <NetworkDrawing structure={structure} report={now} />}
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
