import { lazy, Suspense, useMemo, useState } from 'react';
import type { Structure } from '../../../engine/block';
import { evaluateStructure } from '../../../engine/evaluate';
import { backboneFeatures, type FeatureInfo } from '../../../engine/export/sidecar';
import { strideThrough } from '../../../engine/cost';
import { findReferenceNetwork } from '../../../engine/referenceNetworks';
import { NetworkDrawing } from '../../components/NetworkDrawing';
import { useEditorStore } from '../../stores/editorStore';
import { TeX } from '../TeX';
import { DETECTION_STAGE_WEIGHTS } from '../../../engine/configFields';

const CandidateActions = lazy(() => import('../../components/CandidateActions').then((m) => ({ default: m.CandidateActions })));

const CHOICES = ['maedet_s', 'maedet_m', 'maedet_l'] as const;
const EDITED = 'edited';

/** the FPN of a detector on top of C2–C5: lateral 1×1 convs to one width, then a top-down path */
function FpnDiagram({ features, height, width }: { features: FeatureInfo[]; height: number; width: number }) {
  const row = (i: number) => 20 + (features.length - 1 - i) * 46;
  return (
    <svg className="fpn" viewBox="0 0 620 210" role="img" aria-label="C2–C5 feeding a feature pyramid network">
      {features.map((f, i) => (
        <g key={f.name}>
          <rect x={10} y={row(i)} width={190} height={32} rx={4} />
          <text x={20} y={row(i) + 20}>
            {f.name}: {f.num_chs} × {height / f.reduction} × {width / f.reduction}
          </text>
          <line className="lateral" x1={200} x2={320} y1={row(i) + 16} y2={row(i) + 16} markerEnd="url(#arrow)" />
          <text x={232} y={row(i) + 11}>
            1×1 conv
          </text>
          <rect x={320} y={row(i)} width={150} height={32} rx={4} />
          <text x={330} y={row(i) + 20}>
            P{i + 2} (stride {f.reduction})
          </text>
          {i < features.length - 1 && <path className="topdown" d={`M470 ${row(i + 1) + 16}C505 ${row(i + 1) + 16} 505 ${row(i) + 16} 470 ${row(i) + 16}`} fill="none" markerEnd="url(#arrow)" />}
        </g>
      ))}
      <text x={510} y={105}>
        upsample ×2
      </text>
      <text x={510} y={121}>
        and add
      </text>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
          <path d="M0 0L10 5L0 10z" fill="currentColor" />
        </marker>
      </defs>
    </svg>
  );
}

/**
 * Step 6: what the search hands to a detector — a backbone whose stage outputs C2–C5 (strides 4
 * to 32) feed an FPN — with the shapes for the user's input size and the downloads.
 */
export function ExportBackbone() {
  const edited = useEditorStore((s) => s.structure);
  const [choice, setChoice] = useState<string>('maedet_s');
  const [height, setHeight] = useState(800);
  const [width, setWidth] = useState(1280);
  const structure: Structure = choice === EDITED && edited.length > 0 ? edited : findReferenceNetwork(choice === EDITED ? 'maedet_s' : choice)!.structure;
  const described = useMemo(() => {
    try {
      const report = evaluateStructure(structure, 480, DETECTION_STAGE_WEIGHTS);
      return { report, features: backboneFeatures(structure), multiple: strideThrough(structure, structure.length - 1) };
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }, [structure]);
  const sizeError =
    typeof described === 'string'
      ? null
      : [height, width].some((v) => !Number.isInteger(v) || v < described.multiple || v % described.multiple !== 0)
        ? `height and width must be positive multiples of ${described.multiple} (the product of the strides), found ${height}×${width}`
        : null;
  return (
    <>
      <p>
        A detection backbone is not judged by one vector but by a pyramid. Each stride-2 block starts a stage; the outputs of stages 1–4 are{' '}
        <strong>C2–C5</strong>, with strides 4, 8, 16 and 32 (<TeX>{String.raw`C_i`}</TeX> has side <TeX>{String.raw`H/2^i`}</TeX>). A feature pyramid network
        (FPN) maps each to a common width with a 1×1 conv and adds the upsampled deeper level to it, so the fine C2/C3 maps gain the semantics of C4/C5. Small
        objects are then detected on the fine levels and large ones on the coarse levels.
      </p>
      <p>
        The exported ONNX model takes <code>images</code> <TeX>{String.raw`[N, ${structure[0].in}, H, W]`}</TeX> (the stem&apos;s {structure[0].in} channels
        {structure[0].in === 3 ? ': RGB' : ''}, made from an image and normalised as the sidecar JSON says) and returns exactly these
        four tensors, named C2–C5, with random weights: the search designs the architecture, and you train it in your detector (mmdetection, GFL, …). The sidecar
        lists them in timm&apos;s <code>feature_info</code> form, so an FPN&apos;s <code>in_channels</code> can be read off it.
      </p>
      <div className="widget" data-testid="export-widget">
        <div className="widget-controls">
          <label>
            backbone{' '}
            <select aria-label="backbone" value={choice} onChange={(e) => setChoice(e.target.value)}>
              {CHOICES.map((n) => (
                <option key={n} value={n}>
                  {findReferenceNetwork(n)!.label}
                </option>
              ))}
              {edited.length > 0 && <option value={EDITED}>the network in the editor</option>}
            </select>
          </label>
          <label>
            input H{' '}
            <input aria-label="input height" type="number" step={32} value={height} onChange={(e) => setHeight(Number(e.target.value))} />
          </label>
          <label>
            W <input aria-label="input width" type="number" step={32} value={width} onChange={(e) => setWidth(Number(e.target.value))} />
          </label>
        </div>
        {typeof described === 'string' ? (
          <p className="field-error">{described}</p>
        ) : (
          <>
            <NetworkDrawing structure={structure} report={described.report} />
            {sizeError ? (
              <p className="field-error" role="alert">
                {sizeError}
              </p>
            ) : (
              <>
                <table className="blocks" data-testid="feature-shapes">
                  <thead>
                    <tr>
                      <th>output</th>
                      <th>from</th>
                      <th>stride</th>
                      <th>shape</th>
                    </tr>
                  </thead>
                  <tbody>
                    {described.features.map((f) => (
                      <tr key={f.name} data-name={f.name}>
                        <td>{f.name}</td>
                        <td>
                          <code>{f.module}</code>
                        </td>
                        <td>{f.reduction}</td>
                        <td className="shape">
                          [1, {f.num_chs}, {height / f.reduction}, {width / f.reduction}]
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <FpnDiagram features={described.features} height={height} width={width} />
              </>
            )}
            <Suspense fallback={<p className="hint">loading the exporters…</p>}>
              <CandidateActions
                member={{ structure, score: described.report.madnas, flops: described.report.flops, params: described.report.params, layers: described.report.layers }}
                ratio={DETECTION_STAGE_WEIGHTS}
                name={choice}
              />
            </Suspense>
          </>
        )}
      </div>
    </>
  );
}
