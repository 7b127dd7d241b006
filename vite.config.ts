/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig, loadEnv } from 'vite';

import { defaultConnectSources } from './src/engine/csp/connectSources.js';
import {
  pageDevMetaPolicy,
  pageHeaderPolicy,
  pageMetaPolicy,
} from './src/engine/csp/pagePolicy.js';

/**
 * Writes the page's Content Security Policy and the build's default model hosts into index.html
 * (see src/engine/csp/): one source of truth for the meta policy, the preview header and the docs.
 */
function pagePolicyPlugin(buildDefaultUrl: string | undefined, devServer: boolean): Plugin {
  const placeholders: Record<string, string> = {
    '%DIMMEM_PAGE_POLICY%': devServer ? pageDevMetaPolicy : pageMetaPolicy,
    '%DIMMEM_DEFAULT_CONNECT_SRC%': defaultConnectSources(buildDefaultUrl).join(' '),
  };
  return {
    name: 'dimmem-page-policy',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        let out = html;
        for (const [placeholder, value] of Object.entries(placeholders)) {
          if (!out.includes(placeholder)) throw new Error(`index.html lacks ${placeholder}`);
          out = out.replace(placeholder, value);
        }
        return out;
      },
    },
  };
}

export default defineConfig(({ command, mode }) => {
  const env = loadEnv(mode, process.cwd(), 'VITE_');
  return {
    plugins: [
      react(),
      pagePolicyPlugin(env.VITE_DIMMEM_MODEL_URL || undefined, command === 'serve'),
    ],
    // WebLLM is large and only needed inside its worker: keep it out of the first-load bundle.
    worker: { format: 'es' },
    build: { target: 'es2022', sourcemap: true },
    server: { host: '127.0.0.1' },
    // As a deployment should: the static policy as a header too (it alone can forbid framing).
    preview: {
      host: '127.0.0.1',
      port: 4173,
      strictPort: true,
      headers: { 'Content-Security-Policy': pageHeaderPolicy },
    },
    test: {
      include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx'],
      environment: 'node',
      testTimeout: 30_000,
    },
  };
});
