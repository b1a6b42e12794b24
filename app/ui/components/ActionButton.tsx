import type { ButtonHTMLAttributes } from 'react';

/**
 * A button that stays focusable while it cannot act (`aria-disabled`, clicks ignored): when Start
 * or Pause turns itself off under the user's hand, keyboard focus stays on it instead of falling
 * to the page, and a screen reader still finds it and hears that it is unavailable.
 */
export function ActionButton({ disabled, onClick, ...rest }: ButtonHTMLAttributes<HTMLButtonElement>) {
  return <button {...rest} aria-disabled={disabled || undefined} onClick={disabled ? undefined : onClick} />;
}
