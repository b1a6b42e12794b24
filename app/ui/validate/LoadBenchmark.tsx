import { useId, useState } from 'react';
import { BENCHMARK_FORMAT } from '../../engine/benchmark/benchmark';
import { downloadFile } from '../download';
import { useValidationStore, type BenchmarkView } from '../stores/validationStore';

/** what a file looks like, for the summary beside the input (the README has the whole format) */
const EXAMPLE = `{"format": "${BENCHMARK_FORMAT}", "version": 1, "name": "my benchmark",
 "imageSize": 32, "ratio": [0, 0, 0, 1],
 "networks": [
  {"id": "a", "structure": [{"class": "ConvKXBNRELU", "in": 3, "out": 32, "s": 1, "k": 3}, …],
   "accuracy": 93.1, "params": 1200000, "flops": 48000000},
  …]}`;

/**
 * A user's benchmark, read in the validation worker (a file of 20,000 networks keeps the page
 * responsive); what is wrong with a file is shown as the reader says it, naming the network and
 * the field. NAS-Bench-Macro can be loaded again, or downloaded in the same format.
 */
export function LoadBenchmark({ benchmark }: { benchmark: BenchmarkView | null }) {
  const error = useValidationStore((s) => s.loadError);
  const loading = useValidationStore((s) => s.loading);
  const { loadFile, loadMacro, benchmarkFile } = useValidationStore.getState();
  const [download, setDownload] = useState<string | null>(null);
  const id = useId();
  const read = async (file: File) => loadFile(file.name, await file.text());
  const save = async () => {
    setDownload('preparing…');
    try {
      downloadFile('nas-bench-macro.maedet-benchmark.json', await benchmarkFile(), 'application/json');
      setDownload(null);
    } catch (e) {
      setDownload(`The download failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return (
    <section className="panel load-benchmark" aria-labelledby={`${id}-title`} data-testid="load-benchmark">
      <h2 id={`${id}-title`}>Your own benchmark</h2>
      <p>
        Networks you trained, each with its structure and accuracy, in a <code>{BENCHMARK_FORMAT}</code> JSON file (the README describes the format in full). It is read in a worker; every
        number on this page is then computed for it.
      </p>
      <div className="load-controls">
        <label htmlFor={`${id}-file`}>Load a benchmark file</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".json,application/json"
          data-testid="benchmark-file"
          disabled={!!loading}
          onChange={(e) => {
            const file = e.target.files?.[0];
            // cleared, so choosing the same file again (after fixing it) reads it again
            e.target.value = '';
            if (file) void read(file);
          }}
        />
        {benchmark?.kind !== 'nas-bench-macro' && (
          <button onClick={() => void loadMacro()} disabled={!!loading}>
            Load NAS-Bench-Macro
          </button>
        )}
        {benchmark?.kind === 'nas-bench-macro' && (
          <button onClick={() => void save()} data-testid="download-benchmark">
            Download NAS-Bench-Macro in this format
          </button>
        )}
        {download && <span className="hint">{download}</span>}
      </div>
      {error && (
        <p className="field-error" role="alert" data-testid="load-error">
          {error}
        </p>
      )}
      <details>
        <summary>The file format</summary>
        <pre className="format-example">{EXAMPLE}</pre>
        <p className="hint">
          <code>params</code> and <code>flops</code> may be left out: the studio counts them (conv weights + BN; conv multiply–accumulates at <code>imageSize</code>). <code>ratio</code> has one stage
          weight per stage of every network. Structures are the studio’s JSON or TinyNAS blocks.
        </p>
      </details>
    </section>
  );
}
