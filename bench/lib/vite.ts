import path from 'node:path';

import { build, preview } from 'vite';
import type { InlineConfig, PreviewServer } from 'vite';

import { repoRoot } from './paths';

/** A production build into `outDir`; `configFile` defaults to the app's vite.config.ts. */
export async function viteBuild(
  outDir: string,
  configFile = path.join(repoRoot, 'vite.config.ts'),
  extra: InlineConfig = {},
): Promise<void> {
  await build({
    ...extra,
    configFile,
    // The app's own build warnings (chunk sizes…) belong to `npm run build`, not to the figures.
    logLevel: 'error',
    build: { ...extra.build, outDir, emptyOutDir: true },
  });
}

export interface StaticServer {
  url: string;
  close: () => Promise<void>;
}

/**
 * Serves a build folder with `vite preview` (as the e2e tests do) on a free port near 4300, so
 * it never clashes with a preview or dev server someone else is running.
 */
export async function serveBuild(
  outDir: string,
  configFile = path.join(repoRoot, 'vite.config.ts'),
  root = repoRoot,
): Promise<StaticServer> {
  const server: PreviewServer = await preview({
    configFile,
    root,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 4300, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview is not listening');
  return { url, close: () => server.close() };
}
