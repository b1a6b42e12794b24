import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { useRunStore } from './ui/stores/runStore';
import { searchWorker } from '../workers/searchClient';
import { registerServiceWorker } from './ui/serviceWorker';
import './ui/app.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// the search worker starts now (and optimises its code while the page loads); a reload or a
// reopened tab continues the autosaved run (unless another tab keeps it) once the page has drawn
// itself and is idle, so the resumed search's reports do not land on the page's first, heaviest
// frames
searchWorker();
// offline use, and cross-origin isolation on hosts that send no COOP/COEP headers
registerServiceWorker();
const restore = () => void useRunStore.getState().openAutosave();
const whenIdle = () => ('requestIdleCallback' in window ? requestIdleCallback(restore, { timeout: 1000 }) : setTimeout(restore, 200));
// after the load event and two frames: the page's first layout and paint are behind it
const afterFirstFrames = () => requestAnimationFrame(() => requestAnimationFrame(whenIdle));
if (document.readyState === 'complete') afterFirstFrames();
else addEventListener('load', afterFirstFrames, { once: true });
