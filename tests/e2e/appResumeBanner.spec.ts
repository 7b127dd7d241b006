import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';

import { advanceClockUntilVisible, resultCount, storedMemories, watchErrors } from './appSupport';

/**
 * A run whose page closed mid-window is offered for resume on whatever view the user lands next,
 * not only on its card in Runs. As in persistence.spec.ts, the replay engine streams at a
 * realistic 25 tokens/s under Playwright's clock, while IndexedDB and Web Locks stay real.
 */

/** Imports the example, starts a replay run at a realistic pace and closes the page mid-window. */
async function interruptExampleRun(page: Page): Promise<void> {
  await page.goto('/?view=import');
  await page.getByRole('button', { name: 'Try the example conversation' }).first().click();
  await page.getByRole('button', { name: 'Save 1 conversation' }).click();
  await expect(page.getByText('Saved 1 conversation')).toBeVisible();
  await page.goto('/?view=runs');
  await page
    .getByRole('combobox', { name: 'pace' })
    .selectOption({ label: 'realistic (25 tokens/s)' });
  await page.getByRole('button', { name: 'Demo with recorded answers' }).click();
  await expect(page.getByText(/Demo mode: recorded answers/)).toBeVisible();
  await page.getByRole('checkbox', { name: /Broadway/ }).check();
  await page.getByRole('button', { name: 'Start extraction' }).click();
  await expect(page.getByTestId('run-status').first()).toHaveText('running');
  // Part of the answer has streamed (about 25 tokens a second) when the page goes away.
  await page.getByRole('link', { name: /^Memories/ }).click();
  await advanceClockUntilVisible(page, page.getByText(/\d+ being written by the model/));
  // While the run's own page shows it, nothing offers to resume it.
  await expect(page.getByTestId('interrupted-run-banner')).toHaveCount(0);
  expect(await storedMemories(page)).toEqual([]);
  await page.close();
}

test.beforeEach(async ({ context }) => {
  await context.clock.install();
});

test('an interrupted run is offered on the Memories view and resumes to 16 memories', async ({
  context,
}) => {
  test.setTimeout(120_000);
  const first = await context.newPage();
  await interruptExampleRun(first);

  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('/?view=memories');
  const banner = page.getByTestId('interrupted-run-banner');
  await expect(banner).toContainText('A run was interrupted: 0 of 1 window done.');
  // Interrupted is not running: the Runs tab shows no running badge.
  await expect(page.getByLabel('1 running')).toHaveCount(0);
  // No model in this new page: the banner says what to do instead of offering Resume.
  await expect(banner.getByRole('button', { name: 'Resume', exact: true })).toHaveCount(0);
  await banner.getByRole('button', { name: 'Load a model or start the demo to resume' }).click();
  await expect(page.getByRole('heading', { name: 'Model', level: 2 })).toBeVisible();
  await expect(banner).toContainText('Load a model or start the demo below, then resume.');
  await page.getByRole('button', { name: 'Demo with recorded answers' }).click();
  await expect(page.getByTestId('load-ready')).toBeVisible();

  await banner.getByRole('button', { name: 'Resume', exact: true }).click();
  // Running in this page now: the banner goes away.
  await expect(banner).toHaveCount(0);
  await page.getByRole('link', { name: /^Memories/ }).click();
  for (let step = 0; step < 60; step += 1) {
    if ((await resultCount(page).textContent()) === '16 memories') break;
    await page.clock.runFor(5_000);
  }
  await expect(resultCount(page)).toHaveText('16 memories');
  const memories = await storedMemories(page);
  expect(memories).toHaveLength(16);
  expect(new Set(memories.map((memory) => memory.id)).size).toBe(16);
  expect(new Set(memories.map((memory) => memory.origin))).toEqual(new Set(['recorded']));
  await expect(banner).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the banner can be dismissed for this visit and links to the run', async ({ context }) => {
  test.setTimeout(120_000);
  const first = await context.newPage();
  await interruptExampleRun(first);

  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('/?view=import');
  const banner = page.getByTestId('interrupted-run-banner');
  await expect(banner).toBeVisible();
  await banner.getByRole('button', { name: 'Dismiss' }).click();
  await expect(banner).toHaveCount(0);
  await page.getByRole('link', { name: /^Memories/ }).click();
  await expect(page.getByRole('heading', { name: 'No memories yet' })).toBeVisible();
  await expect(banner).toHaveCount(0);

  // The next visit offers it again; "Show runs" leads to the run's card, which offers Resume too.
  await page.reload();
  await expect(banner).toBeVisible();
  await banner.getByRole('button', { name: 'Show runs' }).click();
  await expect(page.getByTestId('run-status').first()).toHaveText('interrupted');
  await expect(banner).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Resume', exact: true })).toHaveCount(1);
  expect(errors).toEqual([]);
});
