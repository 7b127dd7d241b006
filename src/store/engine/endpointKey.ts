import { readSessionApiKey, writeSessionApiKey } from './endpointStorage';

/**
 * The endpoint's API key lives here, or also in sessionStorage on the user's explicit opt-in;
 * never on disk. `undefined`: sessionStorage not read yet.
 */
let heldKey: string | null | undefined;

/** The key held for this tab, if any. */
export function endpointApiKey(): string | null {
  if (heldKey === undefined) heldKey = readSessionApiKey();
  return heldKey;
}

/**
 * Holds a newly typed key (an empty one keeps the key already held: the field shows no key after
 * a reload), kept in sessionStorage only with `keepForSession`. Returns whether a key is held.
 */
export function holdEndpointApiKey(typed: string, keepForSession: boolean): boolean {
  if (typed.trim()) heldKey = typed.trim();
  const key = endpointApiKey();
  writeSessionApiKey(keepForSession ? key : null);
  return key !== null;
}

/** Forgets the key, in memory and in the session. */
export function dropEndpointApiKey(): void {
  heldKey = null;
  writeSessionApiKey(null);
}
