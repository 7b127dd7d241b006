import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { chromium } from '@playwright/test';
import type { Browser, BrowserContext } from '@playwright/test';

import { chromiumLaunchOptions } from '../../tests/e2e/chromium';

/** Debian's Chromium with the flags the e2e tests use (headless, no sandbox, no background traffic). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions());
}

/**
 * A Chromium profile on disk. Playwright's `browser.newContext()` is off the record, where
 * IndexedDB lives in memory; storage figures need a real profile, as a user has.
 */
export async function launchChromiumWithProfile(): Promise<{
  context: BrowserContext;
  close: () => Promise<void>;
}> {
  const profile = mkdtempSync(path.join(tmpdir(), 'dimmem-bench-profile-'));
  // `gc()` lets a measurement start from a collected heap instead of paying for the last one's garbage.
  const context = await chromium.launchPersistentContext(
    profile,
    chromiumLaunchOptions(['--js-flags=--expose-gc']),
  );
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * tsx compiles the benchmark with esbuild's `keepNames`, which wraps named functions in
 * `__name(…)`. Functions serialized into a page (`page.evaluate`, `addInitScript`) then need that
 * helper there too.
 */
export const keepNamesShim = 'globalThis.__name = globalThis.__name || ((target) => target);';
