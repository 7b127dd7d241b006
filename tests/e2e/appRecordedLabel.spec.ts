import { expect, test } from '@playwright/test';

import { importAndExtractExample, resultCount, seedAnswer, watchErrors } from './appSupport';

const recordedText = 'Recorded answer (demo), not extracted by a model run';

test('every memory the replay demo produced is marked recorded in the table', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await importAndExtractExample(page);

  await page.getByRole('link', { name: /^Memories/ }).click();
  await expect(resultCount(page)).toHaveText(`${seedAnswer().length} memories`);
  const rows = page.getByRole('table', { name: 'Memories' }).locator('tbody').getByRole('row');
  await expect(rows.first()).toBeVisible();
  const count = await rows.count();
  expect(count).toBeGreaterThan(0);
  for (let index = 0; index < count; index += 1) {
    const row = rows.nth(index);
    const mark = row.locator('.recorded-mark');
    await expect(mark).toBeVisible();
    await expect(mark).toHaveAttribute('title', recordedText);
    // Seen as "recorded"; a screen reader hears the whole sentence.
    await expect(mark.getByText('recorded', { exact: true })).toBeVisible();
    await expect(mark.getByText(recordedText, { exact: true })).toHaveCount(1);
  }
  // Sorting or filtering keeps the mark: the episodic rows alone still carry it.
  await page
    .getByRole('group', { name: 'Type' })
    .getByRole('button', { name: /Episodic/ })
    .click();
  await expect(resultCount(page)).toContainText('of 16 memories');
  const filtered = await rows.count();
  expect(filtered).toBeGreaterThan(0);
  await expect(rows.locator('.recorded-mark')).toHaveCount(filtered);
  expect(errors).toEqual([]);
});
