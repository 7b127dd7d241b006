import { writeFileSync } from 'node:fs';
import path from 'node:path';

import type { Browser } from '@playwright/test';

import { firstLoadBudgetKb, firstLoadJavaScript } from '../../scripts/report-bundle-size.mjs';
import { buildApp } from '../lib/appBuild';
import { launchChromium } from '../lib/chromium';
import type { Figure } from '../lib/figures';
import { summarize } from '../lib/measure';
import { serveBuild } from '../lib/vite';

/** The app shell's workspace landmark: once it is in the DOM, the app has rendered. */
const shellSelector = '#root main';

/**
 * Installed before any page script. "Interactive" is the first moment the main thread runs a
 * new task after the shell appeared: an input event arriving then would be handled at once.
 * Both times are `performance.now()`, i.e. milliseconds since navigation start.
 */
const probe = (selector: string) => {
  const target = window as unknown as { __benchInteractive?: { shell: number; ready: number } };
  const observer = new MutationObserver(() => {
    if (!document.querySelector(selector)) return;
    observer.disconnect();
    const shell = performance.now();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      target.__benchInteractive = { shell, ready: performance.now() };
    };
    channel.port2.postMessage(null);
  });
  observer.observe(document, { childList: true, subtree: true });
};

interface Load {
  shell: number;
  ready: number;
}

/** One cold load: a fresh browser context has no HTTP cache, storage or service worker. */
async function coldLoad(browser: Browser, url: string): Promise<Load> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(probe, shellSelector);
    await page.goto(url);
    const handle = await page.waitForFunction(
      () => (window as unknown as { __benchInteractive?: Load }).__benchInteractive,
      undefined,
      { timeout: 30_000 },
    );
    return (await handle.jsonValue()) as Load;
  } finally {
    await context.close();
  }
}

/** The smallest page that passes the same probe: the floor any app load is compared with. */
function writeBarePage(outDir: string): void {
  writeFileSync(
    path.join(outDir, 'bench-bare.html'),
    '<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>bare</title></head>' +
      '<body><div id="root"></div><script type="module" src="/bench-bare.js"></script></body></html>\n',
  );
  writeFileSync(
    path.join(outDir, 'bench-bare.js'),
    "const main = document.createElement('main');\nmain.textContent = 'ready';\n" +
      "document.getElementById('root').append(main);\n",
  );
}

export interface PageOptions {
  /** Measure this existing build instead of building the app (e.g. the `dist/` of `npm run build`). */
  dist?: string;
}

export async function benchPage(
  log: (line: string) => void,
  options: PageOptions = {},
): Promise<Figure[]> {
  let outDir = options.dist;
  if (outDir === undefined) {
    outDir = await buildApp((line) => log(`page: ${line}`));
  } else {
    log(`page: measuring the existing build in ${outDir}`);
  }
  const bundle = firstLoadJavaScript(outDir);
  writeBarePage(outDir);

  const server = await serveBuild(outDir);
  const browser = await launchChromium();
  const loads = 9;
  const app: Load[] = [];
  const bare: Load[] = [];
  try {
    const appUrl = server.url;
    const bareUrl = new URL('bench-bare.html', server.url).href;
    // Warm-up: server, disk cache of the OS and Chromium's own start-up costs.
    await coldLoad(browser, appUrl);
    await coldLoad(browser, bareUrl);
    for (let i = 0; i < loads; i++) {
      // Interleaved, so both pages see the same background load of this shared machine.
      app.push(await coldLoad(browser, appUrl));
      bare.push(await coldLoad(browser, bareUrl));
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const appReady = summarize(app.map((load) => load.ready));
  const appShell = summarize(app.map((load) => load.shell));
  const bareReady = summarize(bare.map((load) => load.ready));
  const detail = `median of ${loads} cold loads (fresh context each) from vite preview on 127.0.0.1`;
  return [
    {
      part: 'page',
      id: 'page.firstLoadJsGzip',
      label: `first-load JavaScript, gzip (${bundle.files.length} files)`,
      value: bundle.gzipBytes / 1024,
      unit: 'KB',
      goal: { below: firstLoadBudgetKb, setBy: 'issue' },
      detail: `${(bundle.rawBytes / 1024).toFixed(1)} KB before gzip`,
    },
    {
      part: 'page',
      id: 'page.shellRendered',
      label: 'navigation start → app shell in the DOM',
      value: appShell.median,
      unit: 'ms',
      detail,
    },
    {
      part: 'page',
      id: 'page.interactive',
      label: 'navigation start → interactive (shell + free main thread)',
      value: appReady.median,
      unit: 'ms',
      goal: { below: 1000, setBy: 'bench' },
      detail: `${detail}; p95 ${appReady.p95.toFixed(0)} ms`,
    },
    {
      part: 'page',
      id: 'page.interactiveVsBare',
      label: 'interactive vs a bare one-element page',
      value: appReady.median / bareReady.median,
      unit: '×',
      detail: `bare page interactive at ${bareReady.median.toFixed(1)} ms (median)`,
    },
  ];
}
