import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { useRunStore } from './ui/stores/runStore';
import './ui/app.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// a reload or a reopened tab continues the autosaved run
void useRunStore.getState().restoreSaved();
