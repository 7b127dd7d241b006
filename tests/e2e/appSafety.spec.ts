import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';

import { startOpenAiTestServer } from '../support/openaiServer';
import { repoRoot, resultCount, watchErrors } from './appSupport';

const imgPayload = '<img src=x onerror="window.__xss = (window.__xss || 0) + 1">';
const scriptPayload = '<script>window.__xss = (window.__xss || 0) + 1</script>';

test('chat and model text containing HTML renders as plain text and runs nothing', async ({
  page,
}, testInfo) => {
  const errors = watchErrors(page);
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });

  // A chat whose messages are HTML.
  await page.goto('/?view=import');
  await page
    .getByLabel('Paste a chat')
    .fill(
      `[2023-04-23T08:57:00, Sun] 1.User: ${imgPayload} hello\n` +
        `[2023-04-23T08:58:00, Sun] 2.User: ${scriptPayload} bye`,
    );
  const preview = page.getByRole('region', { name: 'Preview of pasted text' });
  await expect(preview.getByRole('cell').first()).toContainText('<img src=x onerror=');
  await page.getByRole('button', { name: 'Save 1 conversation' }).click();
  await expect(page.getByRole('complementary', { name: 'Conversations' })).toContainText(
    '<img src=x onerror=',
  );

  // Memories whose every field is HTML, restored from a JSONL file.
  const line = {
    conversationId: 'xss-test',
    messageId: 'm0',
    messageText: `${scriptPayload} ${imgPayload}`,
    messageTimestamp: '2023-04-23T08:57:00',
    content: `The user wrote ${imgPayload}`,
    memoryType: 'fact',
    time: '',
    location: '<b>Paris</b>',
    reason: scriptPayload,
    purpose: '<a href="javascript:alert(1)">click</a>',
    keywords: [scriptPayload, '<i>italic</i>'],
  };
  const file = testInfo.outputPath('memories.jsonl');
  writeFileSync(file, `${JSON.stringify(line)}\n`);
  await page.getByLabel('Choose a DimMem backup or memories file').setInputFiles(file);
  await expect(page.getByText('Restored 1 memory')).toBeVisible();

  await page.getByRole('link', { name: /^Memories/ }).click();
  await expect(resultCount(page)).toHaveText('1 memories');
  await page.getByRole('row').filter({ hasText: 'The user wrote' }).click();
  const panel = page.getByTestId('detail-panel');
  await expect(panel.getByTestId('detail-content')).toHaveText(line.content);
  await expect(panel.getByText(line.location, { exact: true })).toBeVisible();
  await expect(panel.getByRole('button', { name: scriptPayload })).toBeVisible();
  await expect(panel.getByText(line.messageText)).toBeVisible();

  // Nothing ran, nothing was turned into elements.
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  expect(dialogs).toBe(0);
  await expect(page.locator('#root img, #root script, #root b, #root i')).toHaveCount(0);
  await expect(page.locator('#root a[href^="javascript"]')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the page carries a Content Security Policy that forbids inline and third-party scripts', async ({
  page,
}) => {
  await page.goto('/');
  const policy = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .first()
    .getAttribute('content');
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(policy).not.toContain("'unsafe-inline' 'unsafe-eval'");
  expect(policy).toContain("object-src 'none'");
  // An injected inline script is refused by the policy.
  const ran = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inline = true';
    document.head.append(script);
    return (window as { __inline?: boolean }).__inline === true;
  });
  expect(ran).toBe(false);
});

/** Fetches `url` from the page: its HTTP status, or how it failed and which policy refused it. */
async function connectFromPage(page: Page, url: string) {
  return page.evaluate(async (target) => {
    const violations: string[] = [];
    const listener = (event: SecurityPolicyViolationEvent) =>
      violations.push(event.effectiveDirective);
    document.addEventListener('securitypolicyviolation', listener);
    let outcome: string;
    try {
      outcome = `HTTP ${(await fetch(target, { cache: 'no-store' })).status}`;
    } catch {
      outcome = 'failed';
    }
    // The violation event is queued as its own task: let it arrive.
    await new Promise((resolve) => setTimeout(resolve, 200));
    document.removeEventListener('securitypolicyviolation', listener);
    return { outcome, violations };
  }, url);
}

const refused = { outcome: 'failed', violations: ['connect-src'] };

test('the page connects only to itself, the model hosts in use and the endpoint the user chose', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const server = await startOpenAiTestServer({
    models: ['m'],
    allowOrigin: '*',
    respond: () => ({ kind: 'error', status: 500 }),
  });
  const other = await startOpenAiTestServer({
    models: ['m'],
    allowOrigin: '*',
    respond: () => ({ kind: 'error', status: 500 }),
  });
  try {
    // Nothing chosen: the app, and the default model hosts (WebLLM's Qwen3-4B) only.
    await page.goto('/');
    const narrowed = page.locator('meta[data-dimmem-connect-src]');
    await expect(narrowed).toHaveAttribute(
      'content',
      "connect-src 'self' blob: data: https://huggingface.co https://*.huggingface.co https://*.hf.co https://raw.githubusercontent.com",
    );
    expect(await connectFromPage(page, '/examples/seed-conversation.txt')).toEqual({
      outcome: 'HTTP 200',
      violations: [],
    });
    expect(await connectFromPage(page, 'https://tracker.example.com/collect')).toEqual(refused);
    expect(await connectFromPage(page, `${server.baseUrl}/models`)).toEqual(refused);
    expect(server.requests).toHaveLength(0);

    // The endpoint saved in the Model view is allowed after the reload; nothing else is.
    await page.goto('/?view=model');
    await page.getByRole('radio', { name: /OpenAI-compatible endpoint/ }).check();
    const form = page.getByRole('form', { name: 'Endpoint settings' });
    await form.getByLabel('Base URL').fill(server.baseUrl);
    await form.getByLabel('Served model name').fill('m');
    const reloaded = page.waitForEvent('load');
    await form.getByRole('button', { name: 'Save and reload' }).click();
    await reloaded;
    await expect(narrowed).toHaveAttribute('content', / http:\/\/127\.0\.0\.1:\d+$/);
    expect(await connectFromPage(page, `${server.baseUrl}/models`)).toEqual({
      outcome: 'HTTP 200',
      violations: [],
    });
    expect(await connectFromPage(page, `${other.baseUrl}/models`)).toEqual(refused);
    expect(await connectFromPage(page, 'https://tracker.example.com/collect')).toEqual(refused);
    expect(other.requests).toHaveLength(0);

    // Back to the browser model: the endpoint is no longer allowed from the next load on.
    await page.getByRole('radio', { name: /In this browser/ }).check();
    await page.reload();
    expect(await connectFromPage(page, `${server.baseUrl}/models`)).toEqual(refused);

    // A tampered list widens nothing: the policy script keeps only well-formed https hosts.
    await page.evaluate(() =>
      localStorage.setItem(
        'dimmem.csp.connect-src.v1',
        JSON.stringify([
          'https:',
          '*',
          "'unsafe-eval'",
          'http://192.168.1.2:8000',
          'https://a.b/c',
        ]),
      ),
    );
    await page.reload();
    await expect(narrowed).toHaveAttribute('content', /raw\.githubusercontent\.com$/);
    expect(await connectFromPage(page, 'https://tracker.example.com/collect')).toEqual(refused);
  } finally {
    await server.close();
    await other.close();
  }
});

test('the model worker, started as the app starts it, keeps to the page’s connect-src', async ({
  page,
}) => {
  // The built worker script (WebLLM's handler), booted from a blob: URL as webLlmEngine.ts does:
  // a blob: worker inherits the page's policies, a same-origin URL worker would not.
  const script = readdirSync(path.join(repoRoot, 'dist/assets')).find((file) =>
    /^worker-[\w-]+\.js$/.test(file),
  );
  expect(script).toBeDefined();
  await page.goto('/');
  const started = page.waitForEvent('worker');
  await page.evaluate((url) => {
    const source = `import ${JSON.stringify(new URL(url, location.href).href)};`;
    const blob = new Blob([source], { type: 'text/javascript' });
    new Worker(URL.createObjectURL(blob), { type: 'module' });
  }, `/assets/${script}`);
  const worker = await started;
  const attempt = (target: string) =>
    worker.evaluate(async (url) => {
      const violations: string[] = [];
      const listener = (event: Event) =>
        violations.push((event as SecurityPolicyViolationEvent).effectiveDirective);
      self.addEventListener('securitypolicyviolation', listener);
      let outcome: string;
      try {
        outcome = `HTTP ${(await fetch(url, { cache: 'no-store' })).status}`;
      } catch {
        outcome = 'failed';
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      self.removeEventListener('securitypolicyviolation', listener);
      return { outcome, violations };
    }, target);
  expect(await attempt(new URL('/examples/seed-conversation.txt', page.url()).href)).toEqual({
    outcome: 'HTTP 200',
    violations: [],
  });
  expect(await attempt('https://tracker.example.com/collect')).toEqual(refused);
});
