import { writeFileSync } from 'node:fs';

import { expect, test } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';

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

/** ChatGPT's emailed export around these chats: a viewer page, account files and media beside. */
function chatGptZip(turns: UserTurn[]): Uint8Array {
  return zipSync({
    'conversations.json': strToU8(JSON.stringify(chatGptExport(turns))),
    'chat.html': strToU8('<html><body>Trip and pasta ideas</body></html>'),
    'user.json': strToU8('{"id": "user-1"}'),
    'message_feedback.json': strToU8('[]'),
    'dalle-generations/file-1.webp': new Uint8Array(256).fill(9),
  });
}

test.describe('the .zip that ChatGPT and Claude send by email', () => {
  test('a ChatGPT export .zip: the Import view says what to pick; preview, then save', async ({
    page,
  }, testInfo) => {
    const errors = watchErrors(page);
    const turns = exampleTurns();
    const file = testInfo.outputPath('chatgpt-export.zip');
    writeFileSync(file, chatGptZip(turns));

    await page.goto('/?view=import');
    const picker = page.getByRole('button', { name: 'Choose files…' });
    await expect(picker).toHaveAccessibleDescription(
      'ChatGPT: Settings → Data controls → Export data. Claude: Settings → Privacy → Export data. ' +
        'Drop the .zip you receive by email (or its conversations.json).',
    );
    await page.getByLabel('Choose chat files to import').setInputFiles(file);
    const preview = page.getByRole('region', {
      name: 'Preview of chatgpt-export.zip › conversations.json',
    });
    await expect(preview.getByText('ChatGPT export', { exact: true })).toBeVisible();
    const row = preview.getByRole('row').nth(1);
    await expect(row.getByRole('cell').nth(0)).toHaveText('Trip and pasta ideas');
    await expect(row.getByRole('cell').nth(1)).toHaveText(String(2 * turns.length));
    await expect(row.getByRole('cell').nth(2)).toHaveText(String(turns.length));
    // Only the chats: chat.html, the account files and the images are not sources.
    await expect(page.getByRole('region', { name: /^Preview of / })).toHaveCount(1);

    await page.getByRole('button', { name: 'Save 1 conversation' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved 1 conversation' })).toHaveText(
      `Saved 1 conversation (${turns.length} user messages).Extract memories →`,
    );
    await expect(
      page.getByRole('complementary').getByText('Trip and pasta ideas', { exact: true }),
    ).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('a .zip without a chat export, and a cut-off one, dropped: their errors; nothing is saved', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    const photos = zipSync({ 'IMG_0001.jpg': new Uint8Array(64), 'notes.txt': strToU8('hi') });
    const whole = chatGptZip(exampleTurns());
    const cutOff = whole.subarray(0, Math.floor(whole.length / 2));

    await page.goto('/?view=memories');
    // Dropped from the desktop onto another view: the files a drag carries, then the drop.
    const transfer = await page.evaluateHandle(
      (files) => {
        const dataTransfer = new DataTransfer();
        for (const [name, bytes] of files)
          dataTransfer.items.add(new File([new Uint8Array(bytes)], name));
        return dataTransfer;
      },
      [
        ['photos.zip', [...photos]],
        ['export.zip', [...cutOff]],
      ] as [string, number[]][],
    );
    await page.dispatchEvent('main', 'dragenter', { dataTransfer: transfer });
    await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
    await expect(
      page.getByRole('region', { name: 'Preview of photos.zip' }).getByRole('alert'),
    ).toHaveText(
      'photos.zip: no chat export found in this .zip archive: looked for conversations.json ' +
        '(ChatGPT and Claude exports hold one); it holds IMG_0001.jpg, notes.txt',
    );
    await expect(
      page.getByRole('region', { name: 'Preview of export.zip' }).getByRole('alert'),
    ).toHaveText(
      'export.zip: it could not be opened as a .zip archive; it may be damaged or incomplete ' +
        '(no zip directory at its end)',
    );
    await expect(page.getByRole('button', { name: /^Save/ })).toBeDisabled();
    await expect(page.getByText('Nothing imported yet.')).toBeVisible();
    expect(errors).toEqual([]);
  });
});
