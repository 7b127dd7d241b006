import { readdirSync } from 'node:fs';
import path from 'node:path';

import { buildApp } from '../lib/appBuild';
import { keepNamesShim, launchChromium } from '../lib/chromium';
import type { Figure } from '../lib/figures';
import { serveBuild } from '../lib/vite';
import { startMiniLmHub, type MiniLmStandIn } from '../../tests/support/miniLmStandIn';

/** What the page reports: the device the worker chose and the timed call's milliseconds. */
interface WorkerRun {
  device: string;
  ms: number;
}

/**
 * The browser's rate: the app's own embeddings worker (its built file, spoken to in its protocol,
 * as WorkerEmbedder does) loads the stand-in from a Hub on 127.0.0.1 in place of huggingface.co
 * and embeds `texts` in one call, after a warm-up call; the worker embeds 16 texts a model call,
 * on WebAssembly with one thread (the bench's Chromium has no WebGPU).
 */
export async function benchEmbeddingBrowser(
  log: (line: string) => void,
  standIn: MiniLmStandIn,
  texts: readonly string[],
  nodeRate: number,
): Promise<Figure[]> {
  const outDir = await buildApp((line) => log(`search: ${line}`));
  const workerFile = readdirSync(path.join(outDir, 'assets')).find((name) =>
    /^embeddingsWorker-[\w-]+\.js$/.test(name),
  );
  if (!workerFile) throw new Error(`no embeddings worker in ${outDir}/assets`);
  const hub = await startMiniLmHub(standIn);
  const server = await serveBuild(outDir);
  const browser = await launchChromium();
  let run: WorkerRun;
  try {
    const context = await browser.newContext();
    await context.addInitScript(keepNamesShim);
    await context.route(/^https:\/\/huggingface\.co\//, async (route) => {
      const url = route
        .request()
        .url()
        .replace(/^https:\/\/huggingface\.co\//, `${hub.origin}/`);
      await route.fulfill({ response: await route.fetch({ url }) });
    });
    const page = await context.newPage();
    await page.goto(server.url);
    run = await page.evaluate(
      ({ url, texts }) =>
        new Promise<WorkerRun>((resolve, reject) => {
          const worker = new Worker(url, { type: 'module' });
          let device = '';
          let started = 0;
          worker.onerror = (event) => reject(new Error(event.message));
          worker.onmessage = (
            event: MessageEvent<{ type: string; id?: number; device?: string; message?: string }>,
          ) => {
            const message = event.data;
            if (message.type === 'loaded') {
              device = message.device ?? '';
              worker.postMessage({ type: 'embed', id: 1, texts: texts.slice(0, 16) });
            } else if (message.type === 'embedded' && message.id === 1) {
              started = performance.now();
              worker.postMessage({ type: 'embed', id: 2, texts });
            } else if (message.type === 'embedded') {
              worker.terminate();
              resolve({ device, ms: performance.now() - started });
            } else if (message.type.endsWith('failed')) {
              reject(new Error(message.message));
            }
          };
          worker.postMessage({ type: 'load', fetchTimeoutMs: 15_000 });
        }),
      { url: new URL(`assets/${workerFile}`, server.url).href, texts: [...texts] },
    );
  } finally {
    await browser.close();
    await server.close();
    await hub.close();
  }
  const rate = texts.length / (run.ms / 1000);
  log(
    `embedded ${texts.length} memories in the app's worker (${run.device}): ${rate.toFixed(0)}/s`,
  );
  return [
    {
      part: 'search',
      id: 'search.browserModelEmbedThroughput',
      label: `memories embedded per second by the app's worker (stand-in model, ${run.device === 'wasm' ? 'WebAssembly, 1 thread' : run.device})`,
      value: rate,
      unit: 'count',
      detail: `${texts.length} synthetic memories, batches of 16; Node in the same run: ${nodeRate.toFixed(0)}/s (${(nodeRate / rate).toFixed(1)}× faster)`,
    },
  ];
}
