import { expect, test } from '@playwright/test';
import type { ViteDevServer } from 'vite';
import { createServer } from 'vite';

import { watchErrors } from './appSupport';

// `npm install && npm run dev` is the README's first promise: the dev server must serve a working,
// styled app under its own (dev) security policy, not only the production build.
let server: ViteDevServer;

test.beforeAll(async () => {
  server = await createServer({
    configFile: 'vite.config.ts',
    server: { host: '127.0.0.1', port: 0, strictPort: false },
    logLevel: 'warn',
  });
  await server.listen();
});

test.afterAll(async () => {
  await server?.close();
});

test('npm run dev serves the styled app with no console errors', async ({ page }) => {
  const errors = watchErrors(page);
  const url = server.resolvedUrls?.local[0];
  expect(url).toBeTruthy();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(url!);
  await expect(page.getByRole('heading', { level: 1, name: 'DimMem' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No memories yet' })).toBeVisible();
  // The stylesheet applied: the dark palette, not the browser's default white.
  const background = await page.evaluate(
    () => getComputedStyle(document.documentElement).backgroundColor,
  );
  expect(background).toBe('rgb(13, 15, 20)');
  expect(errors).toEqual([]);
});
