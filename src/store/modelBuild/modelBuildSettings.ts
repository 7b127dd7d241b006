import { z } from 'zod';

import { checkpointConnectSources, isLoopbackHost } from '../../engine/csp/connectSources';

/**
 * Which checkpoint host a model build reads, and which hosts the page's policy must allow for it.
 *
 * Normally the published checkpoint on Hugging Face. For tests and development only, the URL
 * parameter `?devCheckpointHub=http://127.0.0.1:PORT` (plus `&devCheckpointHosts=` naming the
 * hosts its downloads redirect to, comma-separated, and `&devCheckpointShardKb=` a smaller output
 * shard cap, so a tiny test checkpoint still has several shards) points builds at a stand-in hub on
 * this machine; an empty `?devCheckpointHub=` forgets it. Only loopback addresses are accepted, the
 * choice is saved in this browser, and the Model view labels it and every build from it as a
 * developer test build (docs/model.md, "Building in the browser").
 */
export const devCheckpointStorageKey = 'dimmem.dev.checkpoint-hub.v1';

const devHostSchema = z.object({
  hub: z.string(),
  redirectHosts: z.array(z.string()),
  shardCapBytes: z.number().int().positive().nullable().default(null),
});
export type DevCheckpointHost = z.infer<typeof devHostSchema>;

/** `http(s)://127.0.0.1:PORT` or `localhost`, as an origin; null for anything else. */
function loopbackOrigin(text: string): string | null {
  try {
    const url = new URL(text.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return isLoopbackHost(url.hostname) ? url.origin : null;
  } catch {
    return null;
  }
}

/** Reads the URL parameters: a host to save, `null` to forget it, `undefined` when absent. */
export function devHostFromSearch(search: string): DevCheckpointHost | null | undefined {
  const params = new URLSearchParams(search);
  if (!params.has('devCheckpointHub')) return undefined;
  const hub = loopbackOrigin(params.get('devCheckpointHub') ?? '');
  if (!hub) return null;
  const redirectHosts = (params.get('devCheckpointHosts') ?? '')
    .split(',')
    .map(loopbackOrigin)
    .filter((origin): origin is string => origin !== null);
  const shardKb = Number(params.get('devCheckpointShardKb'));
  const shardCapBytes = Number.isInteger(shardKb) && shardKb > 0 ? shardKb * 1024 : null;
  return { hub, redirectHosts, shardCapBytes };
}

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** The saved developer host, after applying this page's URL parameters. */
export function readDevCheckpointHost(
  search: string = globalThis.location?.search ?? '',
): DevCheckpointHost | null {
  const fromUrl = devHostFromSearch(search);
  try {
    if (fromUrl === null) storage()?.removeItem(devCheckpointStorageKey);
    if (fromUrl) storage()?.setItem(devCheckpointStorageKey, JSON.stringify(fromUrl));
    const raw = storage()?.getItem(devCheckpointStorageKey);
    const parsed = devHostSchema.safeParse(raw ? JSON.parse(raw) : null);
    if (!parsed.success || !loopbackOrigin(parsed.data.hub)) return null;
    return parsed.data;
  } catch {
    return fromUrl ?? null;
  }
}

export function forgetDevCheckpointHost(): void {
  storage()?.removeItem(devCheckpointStorageKey);
}

let buildActive = false;

/** Set while a build runs or waits to be resumed: its hub's hosts are then wanted. */
export function setBuildActive(active: boolean): void {
  buildActive = active;
}

/**
 * The connect sources builds need: the developer host's, as long as it is chosen; Hugging Face's
 * hub and file hosts while a build from it runs or is paused (WebLLM's prebuilt base model needs
 * the same hosts, so they are in the defaults as well).
 */
export function checkpointSourcesWanted(): string[] {
  const dev = readDevCheckpointHost();
  if (dev) return checkpointConnectSources(dev.hub, dev.redirectHosts);
  return buildActive ? checkpointConnectSources('https://huggingface.co') : [];
}
