import { useMemo, useState } from 'react';
import type { MemberRecord } from '../../engine/evolution/population';
import { estimateOnnxBytes } from '../../engine/onnx/deploy';
import { describeDeploy, sidecarJSON } from '../../engine/export/sidecar';
import { toPyTorchModule } from '../../engine/export/pytorch';
import { structureKey, toJSON, toTinyNAS } from '../../engine/structure';
import { downloadFile } from '../download';
import { useEntropyStore } from '../stores/entropyStore';
import { scoreWorkerCall } from '../../../workers/scoreClient';

const ONNX_SEED = 0;

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
}

/**
 * What a user can do with one candidate: measure its entropy, and take it away as a file —
 * ONNX (generated in the scoring worker, so even MAE-DET-L's 176 MB never blocks the page) with
 * its sidecar JSON, a PyTorch module, the TinyNAS structure file or JSON.
 */
export function CandidateActions({ member, ratio, name }: { member: MemberRecord; ratio: readonly number[]; name: string }) {
  const key = structureKey(member.structure);
  const measurement = useEntropyStore((s) => s.measurements[key]);
  const job = useEntropyStore((s) => s.job);
  const measure = useEntropyStore((s) => s.measure);
  const [onnx, setOnnx] = useState<'idle' | 'generating' | string>('idle');
  // a structure with fewer than five stages has no C2–C5 to export: say so instead of a button
  const size = useMemo((): number | string => {
    try {
      return estimateOnnxBytes(member.structure);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }, [member.structure]);
  const generate = async () => {
    setOnnx('generating');
    try {
      const { bytes } = await scoreWorkerCall(useEntropyStore.getState().settings.threads, (api) => api.deploy(member.structure, { seed: ONNX_SEED }));
      downloadFile(`${name}.onnx`, bytes as Uint8Array<ArrayBuffer>, 'application/octet-stream');
      setOnnx('idle');
    } catch (e) {
      setOnnx(`ONNX generation failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return (
    <div className="candidate-actions">
      <div className="buttons">
        <button data-testid="measure-entropy" disabled={!!job} onClick={() => void measure([member], ratio)}>
          Measure entropy
        </button>
        <button data-testid="download-onnx" disabled={onnx === 'generating' || typeof size === 'string'} title={typeof size === 'string' ? size : 'deploy graph: input images [N,3,H,W], outputs C2–C5'} onClick={() => void generate()}>
          {onnx === 'generating' ? 'generating ONNX…' : typeof size === 'string' ? 'ONNX (not exportable)' : `ONNX (~${megabytes(size)})`}
        </button>
        <button
          disabled={typeof size === 'string'}
          title="the ONNX file's sidecar: structure, params, FLOPs, feature_info, input normalisation"
          onClick={() => downloadFile(`${name}.onnx.json`, sidecarJSON(describeDeploy(member.structure, ONNX_SEED, null)), 'application/json')}
        >
          sidecar JSON
        </button>
        <button data-testid="download-pytorch" title="self-contained PyTorch module (torch only)" onClick={() => downloadFile(`${name}.py`, toPyTorchModule(member.structure, { name }), 'text/x-python')}>
          PyTorch .py
        </button>
        <button data-testid="download-tinynas" onClick={() => downloadFile(`${name}.txt`, toTinyNAS([member.structure]))}>
          TinyNAS .txt
        </button>
        <button onClick={() => downloadFile(`${name}.json`, toJSON(member.structure), 'application/json')}>JSON</button>
      </div>
      {onnx !== 'idle' && onnx !== 'generating' && (
        <p className="field-error" role="alert">
          {onnx}
        </p>
      )}
      {measurement && (
        <p className="measured" data-testid="measured-entropy" data-value={measurement.result.mean} data-ms-per-repeat={measurement.result.msPerRepeat} data-setup-ms={measurement.result.buildMs + measurement.result.sessionMs} data-build-ms={measurement.result.buildMs} data-sample-ms={measurement.result.sampleMsPerRepeat}>
          measured entropy {measurement.result.mean.toFixed(2)} ± {measurement.result.std.toFixed(2)} over {measurement.result.perRepeat.length} repeats (analytic {member.score.toFixed(2)}) · per stage{' '}
          {measurement.result.perStage.map((v) => v.toFixed(1)).join(' / ')} · {measurement.result.msPerRepeat.toFixed(0)} ms per repeat on {measurement.result.provider}
        </p>
      )}
    </div>
  );
}
