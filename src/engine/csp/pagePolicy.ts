/**
 * The page's static Content Security Policy, written into index.html at build time (and sent as
 * a header by `vite preview`). Only the app runs code (plus WebAssembly for the model runtime);
 * workers come from the app or from blob: URLs (the model's worker is started from one so that it
 * inherits this policy); nothing is framed, posted or embedded.
 *
 * `connect-src` here is only the outer bound — https hosts, and http on this machine for a local
 * endpoint or model server — because a `<meta>` policy cannot be widened once the page has loaded.
 * `public/connect-policy.js` then adds a second policy naming only the hosts actually chosen
 * (policies intersect), see `connectSources.ts`.
 */
export const pagePolicyDirectives: readonly (readonly [string, string])[] = [
  ['default-src', "'self'"],
  ['script-src', "'self' 'wasm-unsafe-eval'"],
  ['worker-src', "'self' blob:"],
  ['connect-src', "'self' https: http://127.0.0.1:* http://localhost:* blob: data:"],
  ['img-src', "'self' data: blob:"],
  ['style-src', "'self'"],
  ['font-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'self'"],
  ['form-action', "'none'"],
  ['frame-src', "'none'"],
  ['manifest-src', "'self'"],
];

/** Directives only an HTTP header can carry (a `<meta>` policy ignores them). */
export const headerOnlyDirectives: readonly (readonly [string, string])[] = [
  ['frame-ancestors', "'none'"],
];

const policyText = (directives: readonly (readonly [string, string])[]) =>
  directives.map(([name, value]) => `${name} ${value}`).join('; ');

/** The policy for the `<meta http-equiv="Content-Security-Policy">` in index.html. */
export const pageMetaPolicy = policyText(pagePolicyDirectives);

/**
 * `npm run dev` only: Vite's dev server injects each stylesheet as a `<style>` element, which
 * `style-src 'self'` forbids. Production builds load CSS as files and keep the strict policy.
 */
export const pageDevMetaPolicy = policyText(
  pagePolicyDirectives.map(([name, value]) =>
    name === 'style-src' ? ([name, `${value} 'unsafe-inline'`] as const) : ([name, value] as const),
  ),
);

/** The same policy as a deployment should send it in a `Content-Security-Policy` header. */
export const pageHeaderPolicy = policyText([...pagePolicyDirectives, ...headerOnlyDirectives]);
