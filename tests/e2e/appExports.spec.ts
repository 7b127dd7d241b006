import { writeFileSync } from 'node:fs';

import { expect, test } from '@playwright/test';

import type { OpenAiTestServer } from '../support/openaiServer';
import { resultCount, seedAnswer, seedLines, watchErrors } from './appSupport';
import { configureEndpoint, servedModel, startReplayServer } from './endpointSupport';

// Export times are instants; the model reads local times. In UTC, the example's local times are
// the instants' own digits, so the exports below carry exactly the example conversation.
test.use({ timezoneId: 'UTC' });

interface UserTurn {
  time: string;
  text: string;
}

/** The example conversation's user messages, with their naive times. */
function exampleTurns(): UserTurn[] {
  return seedLines().map((line) => {
    const match = /^\[([^,]+), \w+\] \d+\.User: (.*)$/.exec(line);
    if (!match) throw new Error(`not a DimMem line: ${line}`);
    return { time: match[1]!, text: match[2]! };
  });
}

const epochSeconds = (naive: string) => Date.parse(`${naive}Z`) / 1000;
const reply = (n: number) => `Here are a few ideas for question ${n}.`;

/** The example as ChatGPT exports it: a message tree with answers, seconds since 1970. */
function chatGptExport(turns: UserTurn[]): unknown {
  const mapping: Record<string, unknown> = {
    root: { id: 'root', message: null, parent: null, children: ['u0'] },
  };
  turns.forEach((turn, n) => {
    const next = n + 1 < turns.length ? [`u${n + 1}`] : [];
    mapping[`u${n}`] = {
      id: `u${n}`,
      message: {
        author: { role: 'user' },
        create_time: epochSeconds(turn.time),
        content: { content_type: 'text', parts: [turn.text] },
      },
      parent: n === 0 ? 'root' : `a${n - 1}`,
      children: [`a${n}`],
    };
    mapping[`a${n}`] = {
      id: `a${n}`,
      message: {
        author: { role: 'assistant' },
        create_time: epochSeconds(turn.time) + 0.2,
        content: { content_type: 'text', parts: [reply(n)] },
      },
      parent: `u${n}`,
      children: next,
    };
  });
  return [
    {
      title: 'Trip and pasta ideas',
      create_time: epochSeconds(turns[0]!.time),
      current_node: `a${turns.length - 1}`,
      mapping,
    },
  ];
}

/** The example as Claude exports it: a flat message list, ISO instants with microseconds. */
function claudeExport(turns: UserTurn[]): unknown {
  const iso = (seconds: number) => {
    const whole = new Date(Math.floor(seconds) * 1000).toISOString().slice(0, 19);
    const micros = String(Math.round((seconds % 1) * 1_000_000)).padStart(6, '0');
    return `${whole}.${micros}Z`;
  };
  return [
    {
      uuid: 'c0ffee00-0000-4000-8000-000000000001',
      name: 'Trip and pasta ideas',
      created_at: iso(epochSeconds(turns[0]!.time)),
      chat_messages: turns.flatMap((turn, n) => [
        {
          uuid: `h${n}`,
          sender: 'human',
          text: turn.text,
          content: [{ type: 'text', text: turn.text }],
          created_at: iso(epochSeconds(turn.time)),
        },
        {
          uuid: `a${n}`,
          sender: 'assistant',
          text: '',
          content: [{ type: 'text', text: reply(n) }],
          created_at: iso(epochSeconds(turn.time) + 0.2),
        },
      ]),
    },
  ];
}

const exports = [
  { label: 'ChatGPT export', build: chatGptExport },
  { label: 'Claude export', build: claudeExport },
] as const;

test.describe('from a chat export to a filtered table of memories', () => {
  let server: OpenAiTestServer;
  test.beforeEach(async () => {
    // A vLLM-like server on localhost answering the example's prompt with its recorded answer:
    // the app's real extraction path, byte-exact prompt included (any other prompt is an error).
    server = await startReplayServer({ cors: true });
  });
  test.afterEach(async () => {
    await server.close();
  });

  for (const format of exports) {
    test(`a ${format.label}: preview, save, extract, filter`, async ({ page }, testInfo) => {
      test.setTimeout(120_000);
      const errors = watchErrors(page);
      const turns = exampleTurns();
      const file = testInfo.outputPath('conversations.json');
      writeFileSync(file, JSON.stringify(format.build(turns)));

      await page.goto('/?view=model');
      await configureEndpoint(page, server.baseUrl, servedModel);
      await expect(page.getByTestId('endpoint-connected')).toBeVisible();

      // In-app navigation from here on: a page load would disconnect the engine.
      await page.getByRole('link', { name: /^Import/ }).click();
      await page.getByLabel('Choose chat files to import').setInputFiles(file);
      const preview = page.getByRole('region', { name: 'Preview of conversations.json' });
      await expect(preview.getByText(format.label, { exact: true })).toBeVisible();
      const row = preview.getByRole('row').nth(1);
      await expect(row).toContainText('Trip and pasta ideas');
      await expect(row.getByRole('cell').nth(1)).toHaveText(String(2 * turns.length));
      await expect(row.getByRole('cell').nth(2)).toHaveText(String(turns.length));
      await page.getByRole('button', { name: 'Save 1 conversation' }).click();

      await page.getByRole('button', { name: 'Extract memories →' }).click();
      await expect(page.getByTestId('planned-windows')).toHaveText('1', { timeout: 30_000 });
      await page.getByRole('button', { name: 'Start extraction (1 window)' }).click();
      await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 30_000 });
      // The server was asked exactly the example's prompt (it knows no other).
      expect(server.chatRequests()).toHaveLength(1);

      await page.getByRole('link', { name: /^Memories/ }).click();
      const answer = seedAnswer();
      await expect(resultCount(page)).toHaveText(`${answer.length} memories`);
      const episodic = answer.filter((memory) => memory.dimension.memory_type === 'episodic');
      await page.locator('.type-toggles button', { hasText: 'Episodic' }).click();
      await expect(resultCount(page)).toHaveText(`${episodic.length} of ${answer.length} memories`);
      const inParis = episodic.filter((memory) =>
        memory.dimension.keywords.some((keyword) => keyword.toLowerCase() === 'paris'),
      );
      if (inParis.length > 0) {
        await page.locator('.keyword-chips .chip', { hasText: /^Paris/ }).click();
        await expect(resultCount(page)).toHaveText(
          `${inParis.length} of ${answer.length} memories`,
        );
      }
      // A memory opens with its source message from the export, the answers around it.
      const target = (inParis[0] ?? episodic[0])!;
      await page.getByRole('row').filter({ hasText: target.content }).first().click();
      const panel = page.getByTestId('detail-panel');
      await expect(panel.getByTestId('detail-content')).toHaveText(target.content);
      await expect(panel.getByTestId('source-message')).toContainText(
        turns[target.source_id - 1]!.text.trim(),
      );
      await expect(panel.getByText(reply(target.source_id - 1))).toBeVisible();
      expect(errors).toEqual([]);
    });
  }
});
