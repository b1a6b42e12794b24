import { ReferenceTable } from './ReferenceTable';

export function App() {
  return (
    <main className="app">
      <header>
        <h1>MAE-DET Studio</h1>
        <p>
          Zero-shot neural architecture search for detection backbones: maximise the entropy of multi-scale features under a FLOPs and
          layers budget — no training. The search studio is on its way; below, the engine measures the reference networks in your browser.
        </p>
      </header>
      <ReferenceTable />
    </main>
  );
}
