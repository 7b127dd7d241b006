import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { expect, test } from '@playwright/test';

import { chatGptExportParts, issueExportShape } from '../../bench/lib/chatgptExport';
import { storedConversationIds, watchErrors } from './appSupport';

/** Conversations in the generated export (about 12 MB: read and saved by the import worker). */
const conversations = 450;

/**
 * A ChatGPT export of the real shape, with two conversations the importer must skip (an empty
 * message tree, one with no visible message), so the preview has warnings to list.
 */
function writeExport(): string {
  const parts = [...chatGptExportParts({ ...issueExportShape, conversations })];
  const broken = [
    { title: 'Empty tree', mapping: {}, current_node: null, id: 'empty-1' },
    {
      title: 'Only a system message',
      mapping: {
        root: { id: 'root', message: null, parent: null, children: [] },
      },
      current_node: 'root',
      id: 'hidden-1',
    },
  ];
  // After the first conversation and near the end, as real exports scatter them.
  parts.splice(2, 0, `, ${JSON.stringify(broken[0])}`);
  parts.splice(parts.length - 2, 0, `, ${JSON.stringify(broken[1])}`);
  const file = path.join(
    mkdtempSync(path.join(tmpdir(), 'dimmem-large-import-')),
    'conversations.json',
  );
  writeFileSync(file, parts.join(''));
  return file;
}

test('a large ChatGPT export is read and saved by the import worker, with progress, cancel and its warnings', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  const file = writeExport();
  await page.goto('/?view=import');
  await page.getByLabel('Choose chat files to import').setInputFiles(file);

  const preview = page.getByRole('region', { name: 'Preview of conversations.json' });
  // Read in the worker, with a progress bar, then previewed like any file.
  await expect(preview.getByText('ChatGPT export', { exact: true })).toBeVisible({
    timeout: 60_000,
  });
  await expect(preview.getByText(`${conversations} conversations`, { exact: true })).toBeVisible();
  await expect(preview.getByText(`and ${conversations - 200} more conversations`)).toBeVisible();

  // The warnings are one line to open, listing each skipped conversation by name.
  const warnings = preview.getByTestId('import-warnings');
  await expect(warnings.locator('summary')).toHaveText('2 warnings');
  await expect(warnings.getByRole('listitem').first()).toBeHidden();
  await warnings.locator('summary').click();
  await expect(warnings.getByRole('listitem')).toHaveText([
    'conversation 2 ("Empty tree") skipped: its message tree is empty',
    `conversation ${conversations + 1} ("Only a system message") skipped: it has no visible messages`,
  ]);

  // Save, and cancel while it is being saved: nothing of it is kept.
  await page.getByRole('button', { name: `Save ${conversations} conversations` }).click();
  const saving = preview.getByRole('progressbar', { name: 'Saving conversations.json' });
  await expect(saving).toBeVisible();
  await expect(preview.getByTestId('import-progress-line')).toContainText('Saving:');
  await preview.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Import cancelled' })).toContainText(
    'nothing of conversations.json was saved',
  );
  expect(await storedConversationIds(page)).toEqual([]);

  // Then the whole import: every conversation, and the warnings again after saving.
  await page.getByRole('button', { name: `Save ${conversations} conversations` }).click();
  await expect(
    page.getByRole('status').filter({ hasText: `Saved ${conversations} conversations` }),
  ).toContainText(
    `${(conversations * issueExportShape.userTurns).toLocaleString('en-US')} user messages`,
    {
      timeout: 60_000,
    },
  );
  expect(await storedConversationIds(page)).toHaveLength(conversations);
  const after = page.getByTestId('import-warnings');
  await expect(after.locator('summary')).toHaveText('2 warnings while importing');
  await after.locator('summary').click();
  await expect(after.getByRole('listitem').first()).toHaveText(
    'conversations.json: conversation 2 ("Empty tree") skipped: its message tree is empty',
  );
  const sidebar = page.getByRole('complementary', { name: 'Conversations' });
  // The sidebar draws the first 150 and offers the rest, so the page does not stall.
  await expect(sidebar.getByRole('listitem')).toHaveCount(150);
  await sidebar
    .getByRole('button', { name: 'Show 150 more (300 conversations not shown)' })
    .click();
  await expect(sidebar.getByRole('listitem')).toHaveCount(300);
  expect(errors).toEqual([]);
});
