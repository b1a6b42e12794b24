import { useId, useState, type ReactNode } from 'react';

/**
 * A setting's or a figure's explanation behind a "?" button: it opens under the label with a
 * click, a tap, Enter or Space, where a `title` tooltip reaches only a mouse.
 */
export function useInfo(topic: string, text: ReactNode): { button: ReactNode; text: ReactNode } {
  const [open, setOpen] = useState(false);
  const id = useId();
  return {
    button: (
      <button type="button" className="info" aria-expanded={open} aria-controls={id} aria-label={`What is ${topic}?`} onClick={() => setOpen(!open)}>
        ?
      </button>
    ),
    text: (
      <small id={id} className="info-text" hidden={!open}>
        {text}
      </small>
    ),
  };
}

/** a label with its "?" button, and the explanation under them */
export function InfoLabel({ htmlFor, label, topic, help }: { htmlFor?: string; label: ReactNode; topic: string; help: ReactNode }) {
  const info = useInfo(topic, help);
  return (
    <>
      <span className="field-head">
        {htmlFor ? <label htmlFor={htmlFor}>{label}</label> : <span className="label">{label}</span>}
        {info.button}
      </span>
      {info.text}
    </>
  );
}
