import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { useRunStore } from './ui/stores/runStore';
import { searchWorker } from '../workers/searchClient';
import './ui/app.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// a reload or a reopened tab continues the autosaved run; with none, the search worker optimises
// its code while the page is idle, so the first search starts at full speed
void useRunStore
  .getState()
  .restoreSaved()
  .then(() => {
    if (useRunStore.getState().status !== 'idle' && useRunStore.getState().status !== 'done') return;
    const warmUp = () => void searchWorker().warmUp();
    if ('requestIdleCallback' in window) requestIdleCallback(warmUp, { timeout: 1000 });
    else setTimeout(warmUp, 200);
  });
