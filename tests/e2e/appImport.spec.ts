import { readFileSync } from 'node:fs';
import path from 'node:path';

import { expect, test } from '@playwright/test';

import { sharedData, watchErrors } from './appSupport';

const locomoFile = path.join(sharedData, 'locomo/26.json');

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
