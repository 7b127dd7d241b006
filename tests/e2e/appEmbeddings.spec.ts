import type { BrowserContext, Request } from '@playwright/test';
import { expect, test } from '@playwright/test';

import { standInTokenizerFiles } from '../support/miniLmStandInTokenizer';
import { importAndExtractExample, resultCount, seedAnswer, watchErrors } from './appSupport';

/**
 * The browser's embeddings up to the network boundary: the model (Hugging Face) cannot be reached
 * from here, so the test answers for the Hub. The app itself serves everything else, ONNX Runtime's
 * WebAssembly included.
 */
const hubHosts = /^https:\/\/([a-z0-9-]+\.)*(huggingface\.co|hf\.co)\//;
const modelFiles = 'https://huggingface.co/Xenova/all-MiniLM-L6-v2/resolve/main/';

function requestsOf(context: BrowserContext): Request[] {
  const seen: Request[] = [];
  context.on('request', (request) => seen.push(request));
  return seen;
}

test('the meaning model loads in a worker with the runtime from the app; with the Hub unreachable the Ask box says so and ranks with words and structure', async ({
  page,
  context,
}) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  const requests = requestsOf(context);
  await context.route(hubHosts, (route) => route.abort('internetdisconnected'));
  await importAndExtractExample(page);
  await page.getByRole('link', { name: /^Memories/ }).click();
  await expect(resultCount(page)).toHaveText(`${seedAnswer().length} memories`);

  // The worker started (its own chunk, from the app) and asked the Hub, which did not answer.
  const ask = page.getByRole('searchbox', { name: 'Ask a question' });
  await ask.fill('What pasta did I want to cook in April 2023?');
  await expect(page.getByTestId('ask-meaning')).toHaveText(
    /^meaning route off \(The meaning model could not be loaded: Xenova\/all-MiniLM-L6-v2 could not be loaded: huggingface\.co could not be reached \(offline, or blocked by the network or the page's policy\): Failed to fetch\)$/,
    { timeout: 60_000 },
  );
  const origin = new URL(page.url()).origin;
  const urls = () => requests.map((request) => request.url());
  expect(urls().some((url) => url.startsWith(`${origin}/assets/embeddingsWorker-`))).toBe(true);
  expect(urls().filter((url) => hubHosts.test(url))[0]).toMatch(
    /^https:\/\/huggingface\.co\/Xenova\/all-MiniLM-L6-v2\/resolve\/main\/tokenizer(_config)?\.json$/,
  );
  // Offline, the runtime is not even fetched.
  expect(urls().filter((url) => url.includes('ort-wasm'))).toEqual([]);

  // Search goes on with the other two routes: the Bolognese memory ranks first, by words.
  await expect(page.getByTestId('rank').first()).toHaveText('1');
  await expect(page.getByTestId('rank-why').first()).toContainText('words #1');
  await expect(page.getByTestId('ask-status')).toContainText('routes: words, structured');

  // The Hub answers with the tokenizer but has no model file: the runtime starts meanwhile, from
  // the app's own files (never a CDN), and the message names the missing file.
  await context.unroute(hubHosts);
  // all-MiniLM-L6-v2's tokenizer files over a few words: enough to load, and no model behind them.
  const files = standInTokenizerFiles(
    '[PAD] [UNK] [CLS] [SEP] [MASK] the user pasta ##s'.split(' '),
  );
  let runtimeRequested: () => void = () => undefined;
  const runtimeSeen = new Promise<void>((resolve) => (runtimeRequested = resolve));
  context.on('request', (request) => {
    if (request.url().includes('ort-wasm')) runtimeRequested();
  });
  await context.route(hubHosts, async (route) => {
    const url = route.request().url();
    const name = url.startsWith(modelFiles) ? url.slice(modelFiles.length) : '';
    if (name in files) {
      await route.fulfill({ json: files[name] });
      return;
    }
    await runtimeSeen;
    await route.fulfill({ status: 404, body: 'Entry not found' });
  });
  await page.reload();
  await expect(resultCount(page)).toHaveText(`${seedAnswer().length} memories`);
  await page.getByRole('searchbox', { name: 'Ask a question' }).fill('pasta');
  await expect(page.getByTestId('ask-meaning')).toHaveText(
    `meaning route off (The meaning model could not be loaded: Xenova/all-MiniLM-L6-v2 could not be loaded: HTTP 404 from ${modelFiles}onnx/model_quantized.onnx)`,
    { timeout: 60_000 },
  );
  const runtime = urls().filter((url) => url.includes('ort-wasm'));
  expect(runtime).toHaveLength(1);
  expect(runtime[0]).toMatch(
    new RegExp(`^${origin}/assets/ort-wasm-simd-threaded\\.asyncify-[\\w-]+\\.wasm$`),
  );
  expect(urls().filter((url) => /jsdelivr|unpkg|cdn\./.test(url))).toEqual([]);
  await expect(page.getByTestId('rank').first()).toHaveText('1');
  expect(errors).toEqual([]);
});

test('declining the download: no request to the Hub, the Ask box says the route is off', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  const requests = requestsOf(context);
  await context.addInitScript(() =>
    window.localStorage.setItem('dimmem.embeddings.download.v1', 'declined'),
  );
  await importAndExtractExample(page);
  await page.getByRole('link', { name: /^Memories/ }).click();
  await page.getByRole('searchbox', { name: 'Ask a question' }).fill('pasta');
  await expect(page.getByTestId('ask-meaning')).toContainText(
    'meaning route off (The meaning model’s download was declined',
  );
  await expect(page.getByTestId('rank').first()).toHaveText('1');
  const urls = requests.map((request) => request.url());
  expect(urls.filter((url) => hubHosts.test(url) || url.includes('embeddingsWorker'))).toEqual([]);

  // Taking the choice back starts the model: the worker and a request to the Hub (refused here).
  await context.route(hubHosts, (route) => route.abort());
  await page.getByRole('button', { name: 'Download the meaning model', exact: true }).click();
  await expect
    .poll(() => requests.some((request) => hubHosts.test(request.url())), { timeout: 60_000 })
    .toBe(true);
  await expect(
    page.getByRole('button', { name: 'Download the meaning model', exact: true }),
  ).toHaveCount(0);
  expect(await page.evaluate(() => localStorage.getItem('dimmem.embeddings.download.v1'))).toBe(
    null,
  );
  // Declining again from the Ask box is kept for the next visit.
  await page
    .getByRole('button', { name: /^(Stop the download|Never download the meaning model)$/ })
    .click();
  await expect(page.getByTestId('ask-meaning')).toContainText('declined');
  expect(await page.evaluate(() => localStorage.getItem('dimmem.embeddings.download.v1'))).toBe(
    'declined',
  );
});
