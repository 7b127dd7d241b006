import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';

import { seedRecordings } from '../../src/engine/replay/seedRecordings';
import { startOpenAiTestServer } from '../support/openaiServer';
import type { OpenAiTestServer } from '../support/openaiServer';
import { repoRoot } from './appSupport';

export const servedModel = 'dimmem-4b-test';

/** The example conversation's prompt, as the app builds it, mapped to its recorded answer. */
function recordings(): Map<string, string> {
  const read = (file: string) => readFileSync(path.join(repoRoot, 'public/examples', file), 'utf8');
  return seedRecordings(read('seed-conversation.txt'), [read('seed-replay-window0.json')]);
}

/**
 * A vLLM-like server that replays the recorded answer for the example's prompt. With
 * `ignoreStream`, it answers a streamed request with one JSON document, as some servers do.
 */
export function startReplayServer(options: {
  cors: boolean;
  ignoreStream?: boolean;
}): Promise<OpenAiTestServer> {
  const answers = recordings();
  return startOpenAiTestServer({
    models: [servedModel],
    ...(options.cors ? { allowOrigin: '*' } : {}),
    respond: ({ prompt }) => {
      const text = answers.get(prompt);
      if (text === undefined) {
        return { kind: 'error', status: 500, message: 'no recording for this prompt' };
      }
      if (!options.ignoreStream) return { kind: 'answer', text };
      const completion = {
        object: 'chat.completion',
        choices: [
          { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' },
        ],
        usage: { prompt_tokens: 1500, completion_tokens: 1000 },
      };
      return {
        kind: 'raw',
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(completion),
      };
    },
  });
}

/**
 * Fills the endpoint form in the Model view and saves it. A new origin is not in the page's
 * security policy yet, so saving reloads the page; the second press connects.
 */
export async function configureEndpoint(page: Page, baseUrl: string, model: string): Promise<void> {
  await page
    .getByRole('link', { name: /^Model/ })
    .first()
    .click();
  await page.getByRole('radio', { name: /OpenAI-compatible endpoint/ }).check();
  const warning = page.getByTestId('endpoint-warning');
  await expect(warning).toContainText('Your chats leave this browser');
  const form = page.getByRole('form', { name: 'Endpoint settings' });
  await form.getByLabel('Base URL').fill(baseUrl);
  await form.getByLabel('Served model name').fill(model);
  const origin = new URL(baseUrl).origin;
  // Before anything is sent: the warning names the server the chats would go to.
  await expect(warning).toContainText(origin);
  await expect(page.getByTestId('endpoint-reload-note')).toContainText(origin);
  const reloaded = page.waitForEvent('load');
  await form.getByRole('button', { name: 'Save and reload' }).click();
  await reloaded;
  await expect(page.getByRole('radio', { name: /OpenAI-compatible endpoint/ })).toBeChecked();
  await expect(form.getByLabel('Base URL')).toHaveValue(baseUrl);
  await expect(form.getByLabel('Served model name')).toHaveValue(model);
  await form.getByRole('button', { name: 'Save and connect' }).click();
}
