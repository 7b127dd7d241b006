import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vite';

/** The store benchmark page: its own build, never part of the app's. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: { target: 'es2022', sourcemap: false },
  logLevel: 'warn',
});
