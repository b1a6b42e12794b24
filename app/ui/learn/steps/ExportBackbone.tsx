import { lazy, Suspense, useMemo, useState } from 'react';
import type { Structure } from '../../../engine/block';
import { evaluateStructure } from '../../../engine/evaluate';
import { backboneFeatures, type FeatureInfo } from '../../../engine/export/sidecar';
import { strideThrough } from '../../../engine/cost';
import { findReferenceNetwork } from '../../../engine/referenceNetworks';
import { NetworkDrawing } from '../../components/NetworkDrawing';
import { useEditorStore } from '../../stores/editorStore';
import { GFL_FPN, gflPyramid, type PyramidLevel } from '../../../engine/export/gflNeck';
import { TeX } from '../TeX';
import { DETECTION_STAGE_WEIGHTS } from '../../../engine/configFields';

const CandidateActions = lazy(() => import('../../components/CandidateActions').then((m) => ({ default: m.CandidateActions })));

const CHOICES = ['maedet_s', 'maedet_m', 'maedet_l'] as const;
const EDITED = 'edited';

const ROW = 46;
/** rows from the top: P7, P6, then C5/P5 … C2 */
const rowY = (fromTop: number) => 10 + fromTop * ROW;

/**
 * MAE-DET's GFL neck on top of C2–C5 (engine/export/gflNeck.ts): C2 unread, lateral 1×1 convs from
 * C3–C5, the top-down path, and P6, P7 made from P5's output
 */
function FpnDiagram({ features, height, width }: { features: FeatureInfo[]; height: number; width: number }) {
  const levels = gflPyramid(features, height, width);
  const extra = levels.filter((l) => !l.from.startsWith('C'));
  // rows from the top: the extra levels (P7 first), then C5/P5 down to C2
  const featureRow = (i: number) => extra.length + (features.length - 1 - i);
  const rowOf = new Map<string, number>([...extra.map((l, k) => [l.name, extra.length - 1 - k] as const), ...features.map((f, i) => [f.name, featureRow(i)] as const)]);
  const levelRow = (l: PyramidLevel) => rowOf.get(l.from.startsWith('C') ? l.from : l.name)!;
  const rows = extra.length + features.length;
  return (
    <svg className="fpn" viewBox={`0 0 640 ${rowY(rows) + 4}`} role="img" aria-label="C2–C5 and the feature pyramid MAE-DET's GFL detector builds on C3–C5">
      {features.map((f, i) => {
        const y = rowY(featureRow(i));
        const read = i >= GFL_FPN.startLevel;
        return (
          <g key={f.name} className={read ? undefined : 'unread'}>
            <rect x={10} y={y} width={190} height={32} rx={4} />
            <text x={20} y={y + 20}>
              {f.name}: {f.num_chs} × {height / f.reduction} × {width / f.reduction}
            </text>
            {read ? (
              <>
                <line className="lateral" x1={200} x2={320} y1={y + 16} y2={y + 16} markerEnd="url(#arrow)" />
                <text x={232} y={y + 11}>
                  1×1 conv
                </text>
              </>
            ) : (
              <text x={212} y={y + 20}>
                not read (start_level={GFL_FPN.startLevel})
              </text>
            )}
          </g>
        );
      })}
      {levels.map((l) => {
        const y = rowY(levelRow(l));
        return (
          <g key={l.name} data-level={l.name}>
            <rect x={320} y={y} width={170} height={32} rx={4} />
            <text x={330} y={y + 20}>
              {l.name}: stride {l.stride}, {l.height} × {l.width}
            </text>
          </g>
        );
      })}
      {levels.slice(1).map((l, i) => {
        const lower = rowY(levelRow(levels[i])) + 16;
        const upper = rowY(levelRow(l)) + 16;
        const made = !l.from.startsWith('C');
        // top-down: the deeper level, upsampled, is added to the one below; extra levels: a stride-2 conv upwards
        const d = made ? `M490 ${lower}C525 ${lower} 525 ${upper} 490 ${upper}` : `M490 ${upper}C525 ${upper} 525 ${lower} 490 ${lower}`;
        return <path key={l.name} className={made ? 'extra' : 'topdown'} d={d} fill="none" markerEnd="url(#arrow)" />;
      })}
      <text x={530} y={rowY(0) + 36}>
        3×3 conv,
      </text>
      <text x={530} y={rowY(0) + 52}>
        stride 2
      </text>
      <text x={530} y={rowY(extra.length + 1) + 10}>
        upsample ×2
      </text>
      <text x={530} y={rowY(extra.length + 1) + 26}>
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
 * Step 7: what the search hands to a detector — a backbone whose stage outputs C2–C5 (strides 4
 * to 32) feed a neck; MAE-DET's GFL FPN reads C3–C5 — with the shapes for the user's input size
 * and the downloads.
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
        A detection backbone is not judged by one vector but by a pyramid. Each stride-2 block after the stem starts a stage; stages 2–5
        output <strong>C2–C5</strong>, with strides 4, 8, 16 and 32 (<TeX>{String.raw`C_i`}</TeX> has side <TeX>{String.raw`H/2^i`}</TeX>).
        MAE-DET trains its backbones in GFL with mmdetection&apos;s FPN — for this network{' '}
        <code>
          FPN(in_channels=[{typeof described === 'string' ? '…' : described.features.map((f) => f.num_chs).join(', ')}], start_level={GFL_FPN.startLevel},
          add_extra_convs=&apos;on_output&apos;, num_outs={GFL_FPN.numOuts})
        </code>{' '}
        (TinyNAS <code>configs/detection/models/gfocal_maedet/</code>). <code>start_level={GFL_FPN.startLevel}</code> skips C2: the FPN maps C3,
        C4 and C5 to one width ({GFL_FPN.outChannels.maedet_s} channels for MAE-DET-S, {GFL_FPN.outChannels.maedet_m} for -M and -L) with 1×1 convs, adds each deeper level, upsampled, to the one
        below it, and makes P6 and P7 with stride-2 3×3 convs on P5&apos;s output. The head predicts on P3–P7, strides 8 to 128: small objects
        on the fine levels, large ones on the coarse. That this detector never reads C1 or C2 is the plainest reason for their weight 0 in
        step 4.
      </p>
      <p>
        The exported ONNX model takes <code>images</code> <TeX>{String.raw`[N, ${structure[0].in}, H, W]`}</TeX> (the stem&apos;s {structure[0].in} channels
        {structure[0].in === 3 ? ': RGB' : ''}, made from an image and normalised as the sidecar JSON says) and returns four tensors, named
        C2–C5, with random weights: the search designs the architecture, and you train it in your detector. C2 is there for necks that read
        it; a GFL config like MAE-DET&apos;s lists all four in <code>in_channels</code> and reads C3–C5. The sidecar lists them in timm&apos;s{' '}
        <code>feature_info</code> form, so <code>in_channels</code> can be read off it.
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
