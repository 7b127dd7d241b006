import { expect, test } from '@playwright/test';

import { importAndExtractExample, resultCount, watchErrors } from './appSupport';

test('a conversation is deleted from the list after a confirmation, with its memories', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await importAndExtractExample(page);
  const sidebar = page.getByRole('complementary', { name: 'Conversations' });
  await expect(sidebar.getByRole('listitem')).toHaveCount(1);
  // How much the browser stores is shown below the list.
  await expect(page.getByTestId('storage-usage')).toContainText(/\d+(\.\d)? [KMG]?B used of /);

  await page.getByRole('link', { name: /^Memories/ }).click();
  await expect(resultCount(page)).toHaveText('16 memories');
  const title = (await sidebar.locator('.conversation-title').textContent()) ?? '';
  const remove = sidebar.getByRole('button', { name: `Delete conversation “${title}”` });

  // Nothing happens without the confirmation: Cancel, then Escape, keep everything.
  await remove.click();
  const confirm = sidebar.getByRole('group', { name: `Delete “${title}”?` });
  await expect(confirm.getByRole('button', { name: 'Delete with its 16 memories' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  await remove.click();
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(resultCount(page)).toHaveText('16 memories');

  await remove.click();
  await confirm.getByRole('button', { name: 'Delete with its 16 memories' }).click();
  await expect(sidebar.getByRole('listitem')).toHaveCount(0);
  await expect(sidebar).toContainText('Nothing imported yet.');
  await expect(page.getByRole('heading', { name: 'No memories yet' })).toBeVisible();

  // Gone from storage too.
  await page.reload();
  await expect(sidebar).toContainText('Nothing imported yet.');
  await expect(page.getByRole('heading', { name: 'No memories yet' })).toBeVisible();
  expect(errors).toEqual([]);
});
