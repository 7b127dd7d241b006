import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';

import { advanceClockUntilVisible, storedMemories } from './appSupport';

/**
 * Persistence in the real browser, with the replay engine (answers recorded from DimMem-4B for the
 * example conversation). The replay streams at a realistic 25 tokens/s; Playwright's clock runs
 * those timers fast, so a whole window takes a moment while IndexedDB, Web Locks and
 * BroadcastChannel stay real.
 */

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

async function importExample(page: Page): Promise<void> {
  await page.goto('/?view=import');
  await page.getByRole('button', { name: 'Try the example conversation' }).first().click();
  await page.getByRole('button', { name: 'Save 1 conversation' }).click();
  await expect(page.getByText('Saved 1 conversation')).toBeVisible();
}

async function openRunsWithDemo(page: Page): Promise<void> {
  await page.goto('/?view=runs');
  await page.getByRole('button', { name: 'Demo with recorded answers' }).click();
  await expect(page.getByText(/Demo mode: recorded answers/)).toBeVisible();
}

async function startExampleRun(page: Page): Promise<void> {
  await page.getByRole('checkbox', { name: /Broadway/ }).check();
  await page.getByRole('button', { name: 'Start extraction' }).click();
  await expect(page.getByTestId('run-status').first()).toHaveText('running');
}

/** Advances the (fake) clock until `page`'s run card says `status`. */
async function runUntil(page: Page, status: string): Promise<void> {
  for (let step = 0; step < 60; step += 1) {
    if ((await page.getByTestId('run-status').first().textContent()) === status) return;
    await page.clock.runFor(5_000);
  }
  await expect(page.getByTestId('run-status').first()).toHaveText(status);
}

test.beforeEach(async ({ context }) => {
  await context.clock.install();
});

test('memories extracted with the replay engine survive a reload', async ({ page }) => {
  const errors = collectErrors(page);
  await importExample(page);
  await openRunsWithDemo(page);
  await startExampleRun(page);
  await runUntil(page, 'done');
  const before = await storedMemories(page);
  expect(before).toHaveLength(16);
  expect(new Set(before.map((memory) => memory.origin))).toEqual(new Set(['recorded']));

  await page.reload();
  await expect(page.getByTestId('run-status').first()).toHaveText('done');
  await expect(page.getByTestId('run-card').first()).toContainText('16 memories');
  expect(await storedMemories(page)).toEqual(before);

  await page.goto('/?view=memories');
  await expect(page.getByTestId('result-count')).toContainText('16');
  expect(errors).toEqual([]);
});

test('a run whose page closed mid-window resumes to the end with no duplicates', async ({
  context,
}) => {
  const first = await context.newPage();
  await importExample(first);
  await openRunsWithDemo(first);
  await startExampleRun(first);
  // Part of the answer has streamed (about 25 tokens a second) when the page goes away.
  await first.clock.runFor(20_000);
  expect(await storedMemories(first)).toEqual([]);
  await first.close();

  const reopened = await context.newPage();
  const errors = collectErrors(reopened);
  await openRunsWithDemo(reopened);
  await expect(reopened.getByTestId('run-status').first()).toHaveText('interrupted');
  await reopened.getByRole('button', { name: 'Resume' }).click();
  await runUntil(reopened, 'done');
  const memories = await storedMemories(reopened);
  expect(memories).toHaveLength(16);
  expect(new Set(memories.map((memory) => memory.id)).size).toBe(16);
  await expect(reopened.getByTestId('run-card').first()).toContainText('1 of 1 window done');
  expect(errors).toEqual([]);
});

test('with two pages, one runs the model, the other follows and takes over when it closes', async ({
  context,
}) => {
  const runner = await context.newPage();
  await importExample(runner);
  await openRunsWithDemo(runner);
  const follower = await context.newPage();
  const errors = collectErrors(follower);
  await openRunsWithDemo(follower);

  await startExampleRun(runner);
  await expect(follower.getByTestId('run-status').first()).toHaveText('running in another tab');
  // Memories the runner's model is still writing already show in the follower.
  const views = follower.getByRole('navigation', { name: 'Views' });
  await views.getByRole('link', { name: /Memories/ }).click();
  await advanceClockUntilVisible(runner, follower.getByText(/\d+ being written by the model/));

  expect(await storedMemories(follower)).toEqual([]);
  await runner.close();
  await views.getByRole('link', { name: /Runs/ }).click();
  await runUntil(follower, 'done');
  const memories = await storedMemories(follower);
  expect(memories).toHaveLength(16);
  expect(new Set(memories.map((memory) => memory.id)).size).toBe(16);
  await follower.goto('/?view=memories');
  await expect(follower.getByTestId('result-count')).toContainText('16');
  expect(errors).toEqual([]);
});
