import { readFileSync } from 'node:fs';

import { expect, test } from '@playwright/test';
import Papa from 'papaparse';

import {
  importAndExtractExample,
  resultCount,
  seedAnswer,
  seedLines,
  watchErrors,
} from './appSupport';

test('example conversation → replay run → filter, inspect, edit, reload, export CSV', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  const answer = seedAnswer();

  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'No memories yet' })).toBeVisible();
  await page.getByRole('button', { name: 'Try the example conversation' }).first().click();

  // The paste box holds the example; its format is detected and previewed before saving.
  await expect(page.getByRole('heading', { name: 'Import chats' })).toBeVisible();
  await expect(page.locator('.format-line')).toContainText('DimMem lines');
  const preview = page.getByRole('region', { name: 'Preview of seed-conversation.txt' });
  await expect(preview.getByRole('row').nth(1)).toContainText('14');
  await page.getByRole('button', { name: 'Save 1 conversation' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved 1 conversation' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Conversations' })).toContainText(
    '14 messages',
  );

  // Runs: one window planned; the demo engine replays the recorded answer.
  await page.getByRole('button', { name: 'Extract memories →' }).click();
  // Planning loads the Qwen3 tokenizer (a large lazy chunk) to count prompt tokens.
  await expect(page.getByTestId('planned-windows')).toHaveText('1', { timeout: 30_000 });
  await page.getByRole('combobox', { name: 'pace' }).selectOption({ label: 'fast (400 tokens/s)' });
  await page.getByRole('button', { name: 'Demo with recorded answers' }).click();
  await expect(page.getByTestId('model-status')).toContainText('Recorded answers (demo) ready');
  await page.getByRole('button', { name: 'Start extraction (1 window)' }).click();

  // Memories show up while the model is still writing.
  await page.getByRole('link', { name: /^Memories/ }).click();
  await expect(page.getByText(/being written by the model/)).toBeVisible();
  await expect(resultCount(page)).toHaveText(`${answer.length} memories`, { timeout: 30_000 });
  await expect(page.getByText(/being written by the model/)).toHaveCount(0);
  expect(answer.length).toBe(16);

  // Filter by type.
  const episodic = answer.filter((m) => m.dimension.memory_type === 'episodic').length;
  await page
    .getByRole('group', { name: 'Type' })
    .getByRole('button', { name: /Episodic/ })
    .click();
  await expect(resultCount(page)).toHaveText(`${episodic} of 16 memories`);
  expect(new URL(page.url()).searchParams.get('type')).toBe('episodic');
  await expect(page.locator('tbody .type-badge')).toHaveText(Array(episodic).fill('Episodic'));
  // Back undoes the filter.
  await page.goBack();
  await expect(resultCount(page)).toHaveText('16 memories');
  await page.goForward();
  await expect(resultCount(page)).toHaveText(`${episodic} of 16 memories`);
  await page.getByRole('button', { name: 'Clear filters' }).first().click();

  // Filter by keyword chip.
  const paris = answer.filter((m) => m.dimension.keywords.includes('Paris')).length;
  await page
    .getByRole('group', { name: 'Keywords' })
    .getByRole('button', { name: /^Paris/ })
    .click();
  await expect(resultCount(page)).toHaveText(`${paris} of 16 memories`);
  await page.getByRole('button', { name: 'Clear filters' }).first().click();

  // Filter by message time: the messages of 27 April.
  const lines = seedLines();
  const onThe27th = answer.filter((m) => lines[m.source_id - 1]!.startsWith('[2023-04-27')).length;
  await page.getByLabel('From', { exact: true }).fill('2023-04-27');
  await page.getByLabel('To', { exact: true }).fill('2023-04-27');
  await expect(resultCount(page)).toHaveText(`${onThe27th} of 16 memories`);
  await page.getByRole('button', { name: 'Clear filters' }).first().click();

  // Free text, with a typo.
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: /Search/ })).toBeFocused();
  await page.keyboard.type('bolognase');
  const bolognese = answer.filter((m) => /bolognese/i.test(m.content)).length;
  await expect(resultCount(page)).toHaveText(`${bolognese} of 16 memories`);
  expect(new URL(page.url()).searchParams.get('q')).toBe('bolognase');

  // Open one: its source message is highlighted among its neighbours.
  const target = answer.find((m) => /Spaghetti alla Bolognese/.test(m.content))!;
  await page.getByRole('row').filter({ hasText: target.content }).first().click();
  const panel = page.getByTestId('detail-panel');
  await expect(panel.getByTestId('detail-content')).toHaveText(target.content);
  const sourceLine = lines[target.source_id - 1]!;
  const sourceText = sourceLine.slice(sourceLine.indexOf('User: ') + 'User: '.length);
  await expect(panel.getByTestId('source-message')).toContainText(sourceText.trim());
  await expect(panel.locator('.message')).not.toHaveCount(1);
  await expect(panel.getByText(/Window 1 answer/)).toBeVisible();

  // Edit it; the edit is validated and marked.
  await panel.getByRole('button', { name: 'Edit' }).click();
  const form = panel.getByRole('form', { name: 'Edit memory' });
  await form.getByLabel('Time (date or range)').fill('next week');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText(/Use a date like/)).toBeVisible();
  await form.getByLabel('Time (date or range)').fill('2023-04-29');
  const edited = 'The user will cook Spaghetti alla Bolognese from scratch on Saturday.';
  await form.getByLabel('Content').fill(edited);
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByTestId('detail-content')).toHaveText(edited);
  await expect(panel.getByText('edited', { exact: true })).toBeVisible();

  // Reload: the URL reopens the same memory, and the edit persisted.
  await page.reload();
  await expect(page.getByTestId('detail-panel').getByTestId('detail-content')).toHaveText(edited);
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await page.getByLabel('Edited only').check();
  await expect(resultCount(page)).toHaveText('1 of 16 memories');
  await page.getByLabel('Edited only').uncheck();

  // Export CSV of everything and read it back.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export all' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.csv$/);
  const csv = readFileSync(await file.path(), 'utf8');
  const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });
  expect(parsed.data).toHaveLength(16);
  const editedRow = parsed.data.find((row) => row.content === edited);
  expect(editedRow?.edited).toBe('true');
  expect(editedRow?.time).toBe('2023-04-29');
  expect(parsed.data.map((row) => row.content).sort()).toEqual(
    answer.map((m) => (m === target ? edited : m.content)).sort(),
  );

  expect(errors).toEqual([]);
});

test('a filtered view is bookmarkable: the URL restores view, filters and search', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await importAndExtractExample(page);
  await page.goto('/?view=memories&type=profile&kw=Paris&q=restaurants');
  await expect(page.getByRole('searchbox', { name: /Search/ })).toHaveValue('restaurants');
  await expect(
    page.getByRole('group', { name: 'Type' }).getByRole('button', { name: /Profile/ }),
  ).toHaveAttribute('aria-pressed', 'true');
  const expected = seedAnswer().filter(
    (m) =>
      m.dimension.memory_type === 'profile' &&
      m.dimension.keywords.includes('Paris') &&
      /restaurants/i.test(m.content),
  ).length;
  expect(expected).toBeGreaterThan(0);
  await expect(resultCount(page)).toHaveText(`${expected} of 16 memories`);

  // The pictures filter too: a day on the timeline, a bar of the type counts.
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  const lines = seedLines();
  const onThe27th = seedAnswer().filter((m) => lines[m.source_id - 1]!.startsWith('[2023-04-27'));
  await page.getByRole('button', { name: `Apr 27, 2023: ${onThe27th.length} memories` }).click();
  await expect(resultCount(page)).toHaveText(`${onThe27th.length} of 16 memories`);
  expect(new URL(page.url()).searchParams.get('from')).toBe('2023-04-27');
  const facts = onThe27th.filter((m) => m.dimension.memory_type === 'fact').length;
  await page.getByRole('button', { name: /^Fact: \d+ memories\. Show only Fact/ }).click();
  await expect(resultCount(page)).toHaveText(`${facts} of 16 memories`);
  expect(errors).toEqual([]);
});
