import { Fragment, useMemo } from 'react';
import type { Structure } from '../../engine/block';
import { MACRO_CHOICES } from '../../engine/benchmark/nasBenchMacro';
import { proxyLabel } from '../../engine/benchmark/validation';
import { evaluateStructure } from '../../engine/evaluate';
import { NetworkDrawing } from '../components/NetworkDrawing';
import { editorHash, navigate } from '../route';
import { useEditorStore } from '../stores/editorStore';
import { shownProxies, useValidationStore, type BenchmarkView } from '../stores/validationStore';
import { accuracyText, countText, proxyValueText } from './units';

/** the editor's URL takes resolutions of 2 to 4 digits */
const MIN_EDITOR_RESOLUTION = 10;

/** the network drawn, and a way to edit it */
function Drawing({ structure, benchmark }: { structure: Structure; benchmark: BenchmarkView }) {
  const report = useMemo(() => {
    try {
      return evaluateStructure(structure, benchmark.imageSize, benchmark.ratio);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }, [structure, benchmark]);
  return (
    <>
      <button
        data-testid="open-in-editor"
        onClick={() => {
          useEditorStore.getState().open(structure, benchmark.ratio);
          navigate(editorHash(null, Math.max(benchmark.imageSize, MIN_EDITOR_RESOLUTION)));
        }}
      >
        Open in editor
      </button>
      {typeof report === 'string' ? (
        <p className="field-error">{report}</p>
      ) : (
        // at the drawing's own size its labels can be read: it scrolls sideways in the narrow panel
        <div className="drawing-scroll" tabIndex={0} role="group" aria-label="the network's blocks (scrolls sideways)">
          <NetworkDrawing structure={structure} report={report} />
        </div>
      )}
    </>
  );
}

/** The network picked on the chart: its numbers, every proxy's value for it, its drawing. */
export function NetworkPanel({ benchmark }: { benchmark: BenchmarkView }) {
  const selected = useValidationStore((s) => s.selected);
  const proxies = useValidationStore((s) => s.proxies);
  const i = selected?.index;
  return (
    <section className="panel network-panel" id="network-panel" aria-labelledby="network-title" data-testid="network-panel">
      <h2 id="network-title">{i === undefined ? 'A network' : `Network ${benchmark.ids[i]}`}</h2>
      {i === undefined ? (
        <p className="hint">Click a dot on the chart (or press Enter on one) to see that network here.</p>
      ) : (
        <>
          <dl className="network-numbers" data-testid="network-numbers">
            <dt>accuracy</dt>
            <dd data-testid="network-accuracy">{accuracyText(benchmark, benchmark.accuracy[i])}</dd>
            <dt>params</dt>
            <dd>{countText(benchmark.params[i])}</dd>
            <dt>FLOPs</dt>
            <dd>{countText(benchmark.flops[i])}</dd>
            {shownProxies(proxies)
              .filter((p) => p.name !== 'flops' && p.name !== 'params')
              .map((p) => (
                <Fragment key={p.name}>
                  <dt>{proxyLabel(p.name)}</dt>
                  <dd>{proxyValueText(p.name, p.values[i])}</dd>
                </Fragment>
              ))}
          </dl>
          {benchmark.kind === 'nas-bench-macro' && /^[012]{8}$/.test(benchmark.ids[i]) && (
            <p className="hint">
              Layers 1–8: {[...benchmark.ids[i]].map((d) => MACRO_CHOICES[Number(d)].label).join(' · ')}
            </p>
          )}
          {selected?.detail?.index === i ? <Drawing structure={selected.detail.structure} benchmark={benchmark} /> : <p className="hint">loading the structure…</p>}
        </>
      )}
    </section>
  );
}
