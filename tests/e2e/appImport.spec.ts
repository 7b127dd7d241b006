import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { JSHandle, Page } from '@playwright/test';
import { zipSync } from 'fflate';
import { expect, test } from '@playwright/test';

import { fixtureData, storedConversationIds, storedRecords, watchErrors } from './appSupport';

const locomoFile = path.join(fixtureData, 'locomo/26.json');
const seedFile = path.join(fixtureData, 'seed/conversation.txt');

/** Turns each person has in the LoCoMo file, read independently of the app's importer. */
function turnsBySpeaker(): Map<string, number> {
  const data = JSON.parse(readFileSync(locomoFile, 'utf8')) as Record<string, unknown>;
  const counts = new Map<string, number>();
  for (const [key, value] of Object.entries(data)) {
    if (!/^session_\d+$/.test(key) || !Array.isArray(value)) continue;
    for (const turn of value as { speaker: string }[]) {
      counts.set(turn.speaker, (counts.get(turn.speaker) ?? 0) + 1);
    }
  }
  return counts;
}

test('a LoCoMo file is previewed with a speaker choice, and the other speaker can be imported', async ({
  page,
}) => {
  const errors = watchErrors(page);
  const turns = turnsBySpeaker();
  const [first, second] = [...turns.keys()];
  expect(first).toBe('Caroline');
  expect(second).toBe('Melanie');

  await page.goto('/?view=import');
  await page.getByLabel('Choose chat files to import').setInputFiles(locomoFile);
  const preview = page.getByRole('region', { name: 'Preview of 26.json' });
  await expect(preview.getByText('LoCoMo', { exact: true })).toBeVisible();
  const userColumn = preview.getByRole('row').nth(1).getByRole('cell').nth(2);
  await expect(userColumn).toHaveText(String(turns.get('Caroline')));

  await preview.getByLabel('Whose memories (the user)').selectOption('Melanie');
  await expect(userColumn).toHaveText(String(turns.get('Melanie')));
  await expect(preview.getByRole('row').nth(1).getByRole('cell').nth(1)).toHaveText(
    String((turns.get('Melanie') ?? 0) + (turns.get('Caroline') ?? 0)),
  );

  await page.getByRole('button', { name: 'Save 1 conversation' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved 1 conversation' })).toContainText(
    `${turns.get('Melanie')} user messages`,
  );
  const sidebar = page.getByRole('complementary', { name: 'Conversations' });
  await expect(sidebar).toContainText(`${turns.get('Melanie')} messages`);

  // The same file again is recognised: nothing is stored twice unless asked.
  await page.getByLabel('Choose chat files to import').setInputFiles(locomoFile);
  await page
    .getByRole('region', { name: 'Preview of 26.json' })
    .getByLabel('Whose memories (the user)')
    .selectOption('Melanie');
  await page.getByRole('button', { name: 'Save 1 conversation' }).click();
  await expect(page.getByText('1 conversation is already stored')).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'skipped 1 already stored' }),
  ).toBeVisible();
  await expect(sidebar.getByRole('listitem')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('a bad file shows the importer’s error and changes nothing else', async ({
  page,
}, testInfo) => {
  const errors = watchErrors(page);
  const bad = testInfo.outputPath('broken.json');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(bad, '{"mapping": {"a": ');
  const binary = testInfo.outputPath('photo.txt');
  writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x0d, 0x0a]));

  await page.goto('/?view=import');
  await page.getByLabel('Choose chat files to import').setInputFiles([bad, binary]);
  await expect(
    page.getByRole('region', { name: 'Preview of broken.json' }).getByRole('alert'),
  ).toContainText('broken.json:');
  await expect(
    page.getByRole('region', { name: 'Preview of photo.txt' }).getByRole('alert'),
  ).toContainText('binary');
  await expect(page.getByRole('button', { name: /^Save/ })).toBeDisabled();
  await expect(page.getByText('Nothing imported yet.')).toBeVisible();
  expect(errors).toEqual([]);
});

/**
 * A DataTransfer holding these files, made in the page the way a drag from the desktop carries them
 * (`types` includes "Files"), for dispatching dragenter / dragover / dragleave / drop.
 */
function filesTransfer(
  page: Page,
  files: { name: string; bytes: Buffer; type?: string }[],
): Promise<JSHandle<DataTransfer>> {
  return page.evaluateHandle(
    (list) => {
      const transfer = new DataTransfer();
      for (const file of list) {
        const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
        transfer.items.add(new File([bytes], file.name, { type: file.type }));
      }
      return transfer;
    },
    files.map((file) => ({
      name: file.name,
      base64: file.bytes.toString('base64'),
      type: file.type ?? '',
    })),
  );
}

/** A drag that enters the page over `selector`, moves over it and drops its files there. */
async function dropFiles(page: Page, selector: string, transfer: JSHandle<DataTransfer>) {
  await page.dispatchEvent(selector, 'dragenter', { dataTransfer: transfer });
  await page.dispatchEvent(selector, 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer: transfer });
}

const overlayText = 'Drop chat exports to import them';

test('files dropped on another view open the Import preview, and nothing is saved until Save', async ({
  page,
}) => {
  const errors = watchErrors(page);
  const turns = turnsBySpeaker();
  const caroline = turns.get('Caroline') ?? 0;
  const melanie = turns.get('Melanie') ?? 0;
  const seedLineCount = readFileSync(seedFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '').length;
  expect(seedLineCount).toBe(14);

  await page.goto('/?view=memories');
  const sidebar = page.getByRole('complementary', { name: 'Conversations' });
  await expect(sidebar.getByText('Nothing imported yet.')).toBeVisible();
  const transfer = await filesTransfer(page, [
    { name: '26.json', bytes: readFileSync(locomoFile), type: 'application/json' },
    { name: 'conversation.txt', bytes: readFileSync(seedFile), type: 'text/plain' },
  ]);

  // The overlay shows while files are over the page, also while the drag crosses from one element
  // to another (enter the next before leaving the last), and goes when the drag leaves the page.
  const overlay = page.getByText(overlayText);
  await page.dispatchEvent('main', 'dragenter', { dataTransfer: transfer });
  await expect(overlay).toBeVisible();
  await page.dispatchEvent('header', 'dragenter', { dataTransfer: transfer });
  await page.dispatchEvent('main', 'dragleave', { dataTransfer: transfer });
  await expect(overlay).toBeVisible();
  await page.dispatchEvent('header', 'dragleave', { dataTransfer: transfer });
  await expect(overlay).toBeHidden();
  // A drag that left changes nothing: still the Memories view, nothing in the draft.
  await expect(page.getByRole('heading', { name: 'Memories', exact: true })).toBeVisible();
  expect(page.url()).toContain('view=memories');

  await dropFiles(page, 'main', transfer);
  await expect(overlay).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Import chats' })).toBeVisible();
  expect(page.url()).toContain('view=import');

  const locomo = page.getByRole('region', { name: 'Preview of 26.json' });
  await expect(locomo.getByText('LoCoMo', { exact: true })).toBeVisible();
  await expect(locomo.getByText('1 conversation', { exact: true })).toBeVisible();
  const locomoRow = locomo.getByRole('row').nth(1).getByRole('cell');
  await expect(locomoRow.nth(1)).toHaveText(String(caroline + melanie));
  await expect(locomoRow.nth(2)).toHaveText(String(caroline));
  const seed = page.getByRole('region', { name: 'Preview of conversation.txt' });
  await expect(seed.getByText('DimMem lines', { exact: true })).toBeVisible();
  const seedRow = seed.getByRole('row').nth(1).getByRole('cell');
  await expect(seedRow.nth(1)).toHaveText('14');
  await expect(seedRow.nth(2)).toHaveText('14');

  // Previewed, not saved: the sidebar and the database are still empty.
  await expect(sidebar.getByText('Nothing imported yet.')).toBeVisible();
  expect(await storedConversationIds(page)).toEqual([]);

  await page.getByRole('button', { name: 'Save 2 conversations' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved 2 conversations' })).toContainText(
    `${caroline + 14} user messages`,
  );
  await expect(sidebar.getByRole('listitem')).toHaveCount(2);
  expect(await storedConversationIds(page)).toHaveLength(2);
  expect(errors).toEqual([]);
});

test('bad files dropped on another view show the importer’s error and change nothing else', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/?view=import');
  await page.getByLabel('Choose chat files to import').setInputFiles(seedFile);
  await page.getByRole('button', { name: 'Save 1 conversation' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved 1 conversation' })).toBeVisible();
  const sidebar = page.getByRole('complementary', { name: 'Conversations' });
  await expect(sidebar.getByRole('listitem')).toHaveCount(1);
  const stored = await storedConversationIds(page);
  expect(stored).toHaveLength(1);

  await page.getByRole('link', { name: 'Runs' }).click();
  await expect(page.getByRole('heading', { name: 'Runs', exact: true })).toBeVisible();
  const transfer = await filesTransfer(page, [
    { name: 'broken.json', bytes: Buffer.from('{"mapping": {"a": '), type: 'application/json' },
    {
      name: 'photo.txt',
      bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x0d, 0x0a]),
      type: 'text/plain',
    },
  ]);
  await dropFiles(page, 'main', transfer);
  await expect(page.getByText(overlayText)).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Import chats' })).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Preview of broken.json' }).getByRole('alert'),
  ).toContainText('broken.json:');
  await expect(
    page.getByRole('region', { name: 'Preview of photo.txt' }).getByRole('alert'),
  ).toContainText('binary');
  await expect(page.getByRole('button', { name: /^Save/ })).toBeDisabled();
  // Only the error is new: the stored conversation is untouched.
  await expect(sidebar.getByRole('listitem')).toHaveCount(1);
  expect(await storedConversationIds(page)).toEqual(stored);
  expect(errors).toEqual([]);
});

test('files dropped while the Import view asks about duplicates are saved too', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('/?view=import');
  await page.getByLabel('Choose chat files to import').setInputFiles(locomoFile);
  await page.getByRole('button', { name: 'Save 1 conversation' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved 1 conversation' })).toBeVisible();

  // The same file again stops at the duplicate question …
  await page.getByLabel('Choose chat files to import').setInputFiles(locomoFile);
  await page.getByRole('button', { name: 'Save 1 conversation' }).click();
  await expect(page.getByText('1 conversation is already stored')).toBeVisible();
  // … and a file dropped now joins the import: the question is asked again, over both.
  const transfer = await filesTransfer(page, [
    { name: 'conversation.txt', bytes: readFileSync(seedFile), type: 'text/plain' },
  ]);
  await dropFiles(page, 'main', transfer);
  await expect(page.getByRole('region', { name: 'Preview of conversation.txt' })).toBeVisible();
  await expect(page.getByText('1 conversation is already stored')).toBeHidden();
  await page.getByRole('button', { name: 'Save 2 conversations' }).click();
  await expect(page.getByText('1 conversation is already stored')).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved 1 conversation' })).toContainText(
    'skipped 1 already stored',
  );
  const sidebar = page.getByRole('complementary', { name: 'Conversations' });
  await expect(sidebar.getByRole('listitem')).toHaveCount(2);
  expect(await storedConversationIds(page)).toHaveLength(2);
  expect(errors).toEqual([]);
});

test('real export shapes: voice-mode, file-only and image-only turns, Claude edits, an export zipped twice', async ({
  page,
}, testInfo) => {
  const errors = watchErrors(page);
  const chatgpt = readFileSync(path.join(fixtureData, 'import/chatgpt-voice-files-times.json'));
  const zipped = testInfo.outputPath('export.zip');
  writeFileSync(
    zipped,
    zipSync({ 'conversations.json': chatgpt, 'backup/conversations.json': chatgpt }),
  );
  await page.goto('/?view=import');
  await page
    .getByLabel('Choose chat files to import')
    .setInputFiles([zipped, path.join(fixtureData, 'import/claude-branches-attachments.json')]);

  // The archive held its export twice: one source, and a warning saying which was skipped.
  await expect(page.getByRole('region', { name: /^Preview of export\.zip › / })).toHaveCount(1);
  const chatPreview = page.getByRole('region', {
    name: 'Preview of export.zip › conversations.json',
  });
  await expect(chatPreview).toContainText(
    'chat exports in more than one folder: took conversations.json, skipped backup/conversations.json',
  );
  const userMessages = (region: typeof chatPreview, title: string) =>
    region.getByRole('row').filter({ hasText: title }).getByRole('cell').nth(2);
  // All-voice: imported, not skipped; file-only and image-only turns kept as user messages.
  await expect(userMessages(chatPreview, 'Marathon training')).toHaveText('2');
  await expect(userMessages(chatPreview, 'Data centre cooling options')).toHaveText('4');

  // Claude: only the branch to the latest message (the edit, not the superseded first try).
  const claudePreview = page.getByRole('region', {
    name: 'Preview of claude-branches-attachments.json',
  });
  await expect(userMessages(claudePreview, 'Surprise dinner for my sister')).toHaveText('2');
  await expect(userMessages(claudePreview, 'Quarterly report')).toHaveText('4');
  expect(errors).toEqual([]);
});

/** The first timestamp of each stored conversation, as naive ISO text (local times are kept as UTC). */
async function storedFirstTimes(page: Page): Promise<string[]> {
  const records = await storedRecords<{ firstTimestamp: number }>(page, 'conversations');
  return records.map((record) => new Date(record.firstTimestamp).toISOString().slice(0, 16));
}

test('a transcript with numeric dates: day first by default, the rule shown, month first when chosen', async ({
  page,
}) => {
  const errors = watchErrors(page);
  const transcript = test.info().outputPath('numeric-dates.txt');
  mkdirSync(path.dirname(transcript), { recursive: true });
  writeFileSync(
    transcript,
    '[03/04/2024 10:00] Anna: We finally moved to Porto.\n' +
      '[03/04/2024 10:02] Ben: How is the flat?\n' +
      '[03/04/2024 10:05] Anna: Small, but the light is wonderful.\n',
  );

  await page.goto('/?view=import');
  await page.getByLabel('Choose chat files to import').setInputFiles(transcript);
  const preview = page.getByRole('region', { name: 'Preview of numeric-dates.txt' });
  const order = preview.getByLabel('Dates such as 03/04/2024');
  await expect(order).toHaveValue('day-first');
  await expect(preview.getByText('Day first unless a date shows otherwise.')).toBeVisible();
  await page.getByRole('button', { name: 'Save 1 conversation' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved 1 conversation' })).toBeVisible();
  expect(await storedFirstTimes(page)).toEqual(['2024-04-03T10:00']);

  // The same chat read month first: recognised as the stored chat, changed; replacing it redates it.
  await page.getByLabel('Choose chat files to import').setInputFiles(transcript);
  await preview.getByLabel('Dates such as 03/04/2024').selectOption('month-first');
  await expect(preview.getByText('As you chose.')).toBeVisible();
  await expect(preview.getByRole('cell', { name: 'Mar 4, 2024' })).toBeVisible();
  await page.getByRole('button', { name: 'Save 1 conversation' }).click();
  await page.getByRole('radio', { name: 'Replace' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved 1 conversation' })).toBeVisible();
  expect(await storedFirstTimes(page)).toEqual(['2024-03-04T10:00']);
  expect(errors).toEqual([]);
});
