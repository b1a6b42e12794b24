import { QuickSearch } from './QuickSearch';
import { ReferenceTable } from './ReferenceTable';

export function App() {
  return (
    <main className="app">
      <header>
        <h1>MAE-DET Studio</h1>
        <p>
          Zero-shot neural architecture search for detection backbones: maximise the entropy of multi-scale features under a FLOPs and
          layers budget — no training. The full studio is on its way; here the engine runs a search in a Web Worker and measures the reference networks, all in your browser.
        </p>
      </header>
      <QuickSearch />
      <h2>Reference networks</h2>
      <ReferenceTable />
    </main>
  );
}
