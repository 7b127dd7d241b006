/**
 * The hosts the page may connect to (the `connect-src` of its Content Security Policy): the app
 * itself, the hosts of the model sources in the catalog, and the endpoint the user chose. Pure
 * functions; the store saves the list under {@link connectSourcesStorageKey} and
 * `public/connect-policy.js` applies it before the app's own code runs.
 */

/** localStorage key of the sources the app wants allowed (a JSON array of CSP sources). */
export const connectSourcesStorageKey = 'dimmem.csp.connect-src.v1';

/** `<meta name>` carrying the build's default sources (written into index.html by vite.config.ts). */
export const defaultConnectSourcesMetaName = 'dimmem-default-connect-src';

/** Attribute marking the `<meta http-equiv="Content-Security-Policy">` that connect-policy.js adds. */
export const connectPolicyMarker = 'data-dimmem-connect-src';

/** What the narrowed policy always allows: the app itself, and blob:/data: URLs it makes. */
export const alwaysAllowedConnectSources = ["'self'", 'blob:', 'data:'] as const;

/** Hugging Face answers `resolve/main/` downloads with redirects to its CDNs (`cdn-lfs…`, `…xethub.hf.co`). */
export const huggingFaceConnectSources = [
  'https://huggingface.co',
  'https://*.huggingface.co',
  'https://*.hf.co',
] as const;

/**
 * Where WebLLM's prebuilt Qwen3-4B (always in the catalog) comes from: weights on Hugging Face,
 * model libraries on GitHub. A unit test checks this against the pinned WebLLM's own list.
 */
export const webLlmPrebuiltConnectSources = [
  ...huggingFaceConnectSources,
  'https://raw.githubusercontent.com',
] as const;

/**
 * The only shapes of source the policy script accepts (the same pattern is in
 * `public/connect-policy.js`): an https origin, possibly with a `*.` host wildcard, or an http
 * origin on this machine. Anything else — another scheme, a path, a quote — is dropped, so a
 * tampered list cannot widen the policy beyond the static one in index.html.
 */
export const connectSourceShape =
  /^(?:https:\/\/(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::\d{1,5})?|http:\/\/(?:127\.0\.0\.1|localhost)(?::\d{1,5})?)$/;

const loopbackHosts = new Set(['127.0.0.1', 'localhost']);

/** True for hosts only this machine can reach, the only ones plain http:// is allowed to. */
export function isLoopbackHost(hostname: string): boolean {
  return loopbackHosts.has(hostname);
}

/**
 * The sources a URL needs: its origin, and Hugging Face's download CDNs for a Hugging Face URL.
 * Nothing for URLs that are never fetched (`*.invalid`, the cache keys of picked folders) or that
 * the policy cannot express (http:// to another machine). `{quant}` templates are accepted.
 */
export function connectSourcesForUrl(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url.trim().split('{quant}').join('q4f16_1'));
  } catch {
    return [];
  }
  if (parsed.hostname.endsWith('.invalid')) return [];
  const origin = parsed.origin;
  if (!connectSourceShape.test(origin)) return [];
  if (parsed.hostname === 'huggingface.co' || parsed.hostname.endsWith('.huggingface.co')) {
    return uniqueSources([[origin], huggingFaceConnectSources]);
  }
  return [origin];
}

/**
 * The hosts a model build downloads the checkpoint from: the hub (its API and `resolve/<commit>/`
 * URLs) and the file hosts those answer with a redirect to. CSP checks every redirect target, so
 * each must be listed. Hugging Face today (2026) redirects `resolve/` downloads to
 * `cas-bridge.xethub.hf.co` (Xet storage), to regional `*.cdn.hf.co` hosts such as
 * `us.aws.cdn.hf.co`, and for older LFS files to `cdn-lfs.huggingface.co`,
 * `cdn-lfs-us-1.huggingface.co` or `cdn-lfs-us-1.hf.co`: `https://*.huggingface.co` and
 * `https://*.hf.co` cover them all (a CSP wildcard matches subdomains at any depth).
 * A developer's stand-in hub on this machine names its redirect hosts itself.
 */
export function checkpointConnectSources(
  hub: string,
  redirectHosts: readonly string[] = [],
): string[] {
  return uniqueSources([connectSourcesForUrl(hub), ...redirectHosts.map(connectSourcesForUrl)]);
}

/** Several lists as one, in first-seen order, without duplicates. */
export function uniqueSources(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())];
}

/**
 * What a build allows before the user chooses anything: its own DimMem URL
 * (`VITE_DIMMEM_MODEL_URL`, when set) and WebLLM's prebuilt Qwen3-4B hosts.
 */
export function defaultConnectSources(buildDefaultUrl: string | null | undefined): string[] {
  return uniqueSources([
    buildDefaultUrl ? connectSourcesForUrl(buildDefaultUrl) : [],
    webLlmPrebuiltConnectSources,
  ]);
}

/** The sources for every URL given (model folders, libraries, an endpoint), minus the app's own. */
export function connectSourcesForUrls(urls: readonly string[], selfOrigin?: string): string[] {
  return uniqueSources(urls.map(connectSourcesForUrl)).filter((source) => source !== selfOrigin);
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : protocol === 'http:' ? '80' : '';
}

/** Whether one CSP source (of the shapes above, or `'self'`) allows a request to `url`. */
export function connectSourceAllows(source: string, url: string, selfOrigin: string): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (source === "'self'") return target.origin === selfOrigin;
  if (source === 'blob:' || source === 'data:') return target.protocol === source;
  const match = /^(https?:)\/\/(\*\.)?([^:/]+)(?::(\d+))?$/.exec(source);
  if (!match) return false;
  const [, scheme, wildcard, host, port] = match;
  if (target.protocol !== scheme) return false;
  const targetPort = target.port || defaultPort(target.protocol);
  if ((port ?? defaultPort(scheme)) !== targetPort) return false;
  return wildcard ? target.hostname.endsWith(`.${host}`) : target.hostname === host;
}

/** Whether a list of CSP sources allows a request to `url`. */
export function connectSourcesAllow(
  sources: readonly string[],
  url: string,
  selfOrigin: string,
): boolean {
  return sources.some((source) => connectSourceAllows(source, url, selfOrigin));
}

/** The sources of a `connect-src …` policy text (what connect-policy.js wrote). */
export function parseConnectPolicy(policy: string): string[] {
  const [directive, ...sources] = policy.trim().split(/\s+/);
  return directive === 'connect-src' ? sources : [];
}
