/** The service worker's offer of a reload (a new version, or multi-threading on this host), as a bar the person answers. */
import { usePwaStore } from '../stores/pwaStore';

const TEXT = {
  update: 'A new version of MAE-DET Studio is ready.',
  isolation: 'Reload once to run ONNX Runtime on every core: this host sends no cross-origin isolation headers, the studio’s offline copy adds them.',
} as const;

export function ReloadOffer() {
  const reload = usePwaStore((s) => s.reload);
  const dismiss = usePwaStore((s) => s.dismiss);
  if (!reload) return null;
  return (
    <div className="reload-offer" role="status" data-testid="reload-offer" data-reason={reload.reason}>
      <span>{TEXT[reload.reason]} A search in progress is saved and continues after the reload.</span>
      <button onClick={reload.apply} data-testid="reload-now">
        Reload
      </button>
      <button onClick={dismiss}>Later</button>
    </div>
  );
}
