import { useEffect } from 'react';

import { useViewStore } from '../../store/view/viewStore';

export const searchInputId = 'memory-search';

/** Typing into a field must never trigger a shortcut. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLInputElement &&
      !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type))
  );
}

/** The Ask box's question field (src/ui/ask/AskBox.tsx). */
export const askInputId = 'ask-question';

function focusSearch(attempts = 10, inputId = searchInputId) {
  const input = document.getElementById(inputId);
  if (input instanceof HTMLInputElement) {
    input.focus();
    input.select();
  } else if (attempts > 0) {
    // The memories view may still be loading (it is split into its own chunk).
    window.setTimeout(() => focusSearch(attempts - 1, inputId), 50);
  }
}

/**
 * `/` focuses the memory search and `?` the Ask box, from anywhere. (`j`/`k`/`Esc` belong to the
 * memories view.)
 */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
      if ((event.key === '/' || event.key === '?') && !isTypingTarget(event.target)) {
        event.preventDefault();
        if (useViewStore.getState().view !== 'memories')
          useViewStore.getState().setView('memories');
        focusSearch(10, event.key === '?' ? askInputId : searchInputId);
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
