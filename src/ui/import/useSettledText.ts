import { useEffect, useState } from 'react';

/** How long typing must pause before the paste box is read again. */
export const SETTLE_MS = 200;

/**
 * The text once typing has paused for {@link SETTLE_MS}: the paste box is detected and previewed
 * once per settled text, not on every keystroke. Emptying the box settles at once.
 */
export function useSettledText(text: string): string {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    if (text === settled) return;
    // An emptied box shows as empty at once (below); it is remembered on the next tick.
    const timer = setTimeout(() => setSettled(text), text.trim() === '' ? 0 : SETTLE_MS);
    return () => clearTimeout(timer);
  }, [text, settled]);
  return text.trim() === '' ? text : settled;
}
