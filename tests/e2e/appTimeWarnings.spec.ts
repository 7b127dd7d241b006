import { readFileSync } from 'node:fs';
import path from 'node:path';

import { expect, test } from '@playwright/test';

import { importAndExtractExample, repoRoot, resultCount, watchErrors } from './appSupport';

/**
 * The demo's recorded answer with two times the model could have written but that are not dates.
 * The replay engine streams whatever the app fetches, so the run goes through the same parsing and
 * normalization as a live model's answer.
 */
function answerWithVagueTimes() {
  const answer = JSON.parse(
    readFileSync(path.join(repoRoot, 'public/examples/seed-replay-window0.json'), 'utf8'),
  ) as { memories: { content: string; dimension: { time: string } }[] };
  const pasta = answer.memories.find((memory) => /homemade pasta/.test(memory.content))!;
  const wrapping = answer.memories.find((memory) => /gift-wrapping ideas/.test(memory.content))!;
  pasta.dimension.time = 'in the coming weeks';
  wrapping.dimension.time = 'holiday season';
  return { answer, pasta, wrapping };
}

test('memories whose time is not a date are pointed out in Runs and in their details', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  const { answer, pasta, wrapping } = answerWithVagueTimes();
  await page.route('**/examples/seed-replay-window0.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: JSON.stringify(answer, null, 2) }),
  );
  await importAndExtractExample(page);

  // The run says how many, and the window which ones and why; all 16 memories are kept.
  const run = page.getByTestId('run-card');
  await expect(run).toContainText('16 memories');
  await expect(run.getByTestId('run-time-warnings')).toHaveText(
    '· 2 memories with a time that is not a date',
  );
  await run.getByRole('button', { name: 'Show windows' }).click();
  const warnings = run.getByTestId('window-item').first().getByTestId('window-time-warnings');
  await expect(warnings).toBeVisible();
  await warnings.getByText('2 memories with a time that is not a date').click();
  const items = warnings.getByRole('listitem');
  await expect(items).toHaveCount(2);
  await expect(items.filter({ hasText: pasta.content })).toContainText(
    'time "in the coming weeks" is neither a date (YYYY-MM-DD) nor a range',
  );
  await expect(items.filter({ hasText: wrapping.content })).toContainText(
    'time "holiday season" is neither a date',
  );

  // In the details, the time is shown as written, with a note that it is not a date.
  await page.getByRole('link', { name: /^Memories/ }).click();
  await expect(resultCount(page)).toHaveText('16 memories');
  await page.getByRole('row').filter({ hasText: pasta.content }).first().click();
  const panel = page.getByTestId('detail-panel');
  await expect(panel.getByTestId('detail-content')).toHaveText(pasta.content);
  const time = panel.getByRole('definition').filter({ hasText: 'in the coming weeks' });
  await expect(time).toBeVisible();
  const note = time.getByTestId('time-warning');
  await expect(note).toHaveText(
    'not a date: kept as the model wrote it, so filtering by the memory’s dates skips it',
  );
  await expect(note).toHaveAttribute('title', /time "in the coming weeks" is neither a date/);

  // A memory with a real date has no note.
  const dated = answer.memories.find((memory) => memory.dimension.time === '2023-05-05')!;
  await page.getByRole('row').filter({ hasText: dated.content }).first().click();
  await expect(panel.getByTestId('detail-content')).toHaveText(dated.content);
  await expect(panel.getByTestId('time-warning')).toHaveCount(0);

  // Editing the time into a date clears the note, and the run counts one fewer.
  await page.getByRole('row').filter({ hasText: pasta.content }).first().click();
  await panel.getByRole('button', { name: 'Edit' }).click();
  const form = panel.getByRole('form', { name: 'Edit memory' });
  await form.getByLabel('Time (date or range)').fill('2023-05-06');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByText('edited', { exact: true })).toBeVisible();
  await expect(panel.getByTestId('time-warning')).toHaveCount(0);
  await page.getByRole('link', { name: /^Runs/ }).click();
  await expect(page.getByTestId('run-time-warnings')).toHaveText(
    '· 1 memory with a time that is not a date',
  );
  expect(errors).toEqual([]);
});
