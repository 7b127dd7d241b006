import { readFileSync } from 'node:fs';

import { expect, test } from '@playwright/test';

import type { OpenAiTestServer } from '../support/openaiServer';
import { resultCount, seedAnswer, watchErrors } from './appSupport';
import { configureEndpoint, servedModel, startReplayServer } from './endpointSupport';

test.describe('the OpenAI-compatible endpoint engine', () => {
  let server: OpenAiTestServer;
  test.beforeEach(async () => {
    server = await startReplayServer({ cors: true });
  });
  test.afterEach(async () => {
    await server.close();
  });

  test('configured in the Model view, it extracts the example conversation into the table', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const errors = watchErrors(page);
    const origin = new URL(server.baseUrl).origin;
    await page.goto('/?view=model');
    await configureEndpoint(page, server.baseUrl, servedModel);

    const connected = page.getByTestId('endpoint-connected');
    await expect(connected).toContainText(`Connected: ${servedModel} at ${origin}`);
    // While it is active, the header says where chats go.
    await expect(page.getByTestId('model-status')).toContainText(`sends chats to ${origin}`);
    await expect(page.getByTestId('storage-usage')).toContainText(`runs send chats to ${origin}`);

    // The example conversation, in-app (a page load would disconnect the engine).
    await page.getByRole('link', { name: /^Memories/ }).click();
    await page.getByRole('button', { name: 'Try the example conversation' }).first().click();
    await page.getByRole('button', { name: 'Save 1 conversation' }).click();
    await page.getByRole('button', { name: 'Extract memories →' }).click();
    await expect(page.getByTestId('planned-windows')).toHaveText('1', { timeout: 30_000 });
    await expect(page.getByTestId('runs-endpoint')).toContainText(origin);
    await page.getByRole('button', { name: 'Start extraction (1 window)' }).click();
    await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 30_000 });

    await page.getByRole('link', { name: /^Memories/ }).click();
    const answer = seedAnswer();
    await expect(resultCount(page)).toHaveText(`${answer.length} memories`);
    for (const memory of answer.slice(0, 3)) {
      await expect(page.getByRole('row').filter({ hasText: memory.content })).toHaveCount(1);
    }

    // The memories are the model's (not recorded) and carry the served model's name.
    await page
      .getByRole('combobox', { name: 'Export format', exact: true })
      .first()
      .selectOption('jsonl');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export all' }).click();
    const lines = readFileSync(await (await download).path(), 'utf8')
      .trim()
      .split('\n');
    const exported = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(exported).toHaveLength(answer.length);
    for (const memory of exported) {
      expect(memory.origin).toBe('extracted');
      expect(memory.model).toBe(servedModel);
    }

    // What went over the wire: one window, vLLM's request shape, from this page's origin.
    const requests = server.chatRequests();
    expect(requests).toHaveLength(1);
    const body = requests[0]!.body!;
    expect(body.model).toBe(servedModel);
    expect(body.stream).toBe(true);
    expect(body.temperature).toBe(0);
    expect(body.chat_template_kwargs).toEqual({ enable_thinking: false });
    expect((body.response_format as { type: string }).type).toBe('json_schema');
    expect(requests[0]!.headers.origin).toBe(new URL(page.url()).origin);
    expect(requests[0]!.headers.authorization).toBeUndefined();
    expect(errors).toEqual([]);
  });

  test('a wrong model name, then a server that refuses the page, are explained plainly', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await page.goto('/?view=model');
    await configureEndpoint(page, server.baseUrl, 'no-such-model');
    const error = page.getByTestId('endpoint-error');
    await expect(error).toHaveAttribute('data-code', 'endpoint-model-missing');
    await expect(error).toContainText(
      `does not serve a model named “no-such-model”. It serves: ${servedModel}.`,
    );
    await expect(page.getByTestId('model-status')).toContainText('Model failed to load');

    // The same server without CORS headers: the browser may not read its answers.
    const closed = await startReplayServer({ cors: false });
    try {
      await configureEndpoint(page, closed.baseUrl, servedModel);
      await expect(error).toHaveAttribute('data-code', 'endpoint-unreachable');
      await expect(error).toContainText(`Could not reach ${new URL(closed.baseUrl).origin}`);
      await expect(error).toContainText(`CORS must allow ${new URL(page.url()).origin}`);
    } finally {
      await closed.close();
    }
  });

  test('the API key is sent, kept for the tab only on request, and never written to disk', async ({
    page,
  }) => {
    await page.goto('/?view=model');
    await page.getByRole('radio', { name: /OpenAI-compatible endpoint/ }).check();
    const form = page.getByRole('form', { name: 'Endpoint settings' });
    await form.getByLabel('Base URL').fill(server.baseUrl);
    await form.getByLabel('Served model name').fill(servedModel);
    await form.getByLabel('API key (optional)').fill('sk-test-secret');
    await form.getByLabel('Keep the key until this tab closes').check();
    const reloaded = page.waitForEvent('load');
    await form.getByRole('button', { name: 'Save and reload' }).click();
    await reloaded;
    await form.getByRole('button', { name: 'Save and connect' }).click();
    await expect(page.getByTestId('endpoint-connected')).toBeVisible();
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer sk-test-secret');

    const stored = await page.evaluate(() => ({
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
    }));
    expect(stored.local).toContain(server.baseUrl);
    expect(stored.local).not.toContain('sk-test-secret');
    expect(stored.session).toContain('sk-test-secret');

    // Without the opt-in, the key is forgotten from the session too.
    await form.getByLabel('Keep the key until this tab closes').uncheck();
    await form.getByRole('button', { name: 'Save and connect' }).click();
    await expect(page.getByTestId('endpoint-connected')).toBeVisible();
    const session = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
    expect(session).not.toContain('sk-test-secret');
  });
});
