/** What the engine services read from the page they run in. */

/** A URL under the app's own base (`public/` files). */
export function appUrl(path: string): string {
  return new URL(`${import.meta.env.BASE_URL}${path}`, window.location.href).href;
}

/** The page's origin, for advice on CORS; empty outside a page. */
export function appOrigin(): string {
  return globalThis.location?.origin ?? '';
}

/** Bytes the browser still lets this origin store; null when it does not say. */
export async function freeStorageBytes(): Promise<number | null> {
  try {
    const estimate = await navigator.storage?.estimate();
    if (!estimate?.quota) return null;
    return estimate.quota - (estimate.usage ?? 0);
  } catch {
    return null;
  }
}

/** Cache Storage, where WebLLM keeps models; null where the browser has none (tests, http). */
export function cacheStorageOrNull(): CacheStorage | null {
  return typeof caches === 'undefined' ? null : caches;
}
