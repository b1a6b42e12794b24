import type { ValidationProgress } from '../../../workers/validationApi';
import { formatCount } from '../format';

/** a time still to wait, roughly: "about 40 s", "about 7 min" */
function roughly(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  return seconds < 90 ? `about ${seconds} s left` : `about ${Math.round(seconds / 60)} min left`;
}

/** a long computation's progress, in words and as a bar (with the time left when known), and its Cancel */
export function TaskStatus({ label, progress, remainingMs = null, onCancel, testId }: { label: string; progress: ValidationProgress | null; remainingMs?: number | null; onCancel: () => void; testId: string }) {
  const counts = progress && progress.total > 1 ? ` (${formatCount(progress.done)} of ${formatCount(progress.total)}${remainingMs === null ? '' : `, ${roughly(remainingMs)}`})` : '';
  const said = progress ? `${label}: ${progress.phase}${counts}` : `${label}…`;
  return (
    <div className="task-status" role="status" data-testid={testId} data-done={progress?.done ?? 0}>
      {progress ? <progress value={progress.done} max={Math.max(progress.total, 1)} aria-label={label} /> : <progress aria-label={label} />}
      <span>{said}</span>
      <button onClick={onCancel}>Cancel</button>
    </div>
  );
}
