import path from 'node:path';

import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';

import { fixtureData, watchErrors } from './appSupport';

/**
 * Detection runs in its own worker (src/store/consolidation/detectionWorker.ts), not on the page's
 * main thread, and an accepted merge is detected again so chains resolve in the app: the merged
 * Berlin meets Lisbon, as the CLI's second pass finds it. On the consolidation fixture.
 */

const fixture = path.join(fixtureData, 'consolidate/memories.jsonl');
const heading = (page: Page) => page.getByTestId('review-heading');
const pairOf = (page: Page, text: string) =>
  page.getByTestId('review-pair').filter({ hasText: text });

test('finds the pairs in the detection worker, and pairs a merged memory again after the accept', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  await page.goto('/?view=import');
  await page.getByLabel('Choose a DimMem backup or memories file').setInputFiles(fixture);
  await expect(page.getByText('Restored 18 memories')).toBeVisible();
  await page.getByRole('link', { name: /^Tidy/ }).click();
  const origin = new URL(page.url()).origin;
  const detectionWorkers = () =>
    workers.filter((url) => url.startsWith(`${origin}/assets/detectionWorker-`));
  expect(detectionWorkers()).toEqual([]);

  await page.getByRole('button', { name: 'Find duplicates' }).click();
  await expect(heading(page)).toHaveText('7 possible duplicates, 0 conflicts (4 undecided)');
  // The worker's own chunk, from the app, started once.
  expect(detectionWorkers()).toHaveLength(1);
  await expect(page.getByTestId('consolidation-method')).toContainText('shared words');
  await expect(pairOf(page, 'Lisbon')).toHaveCount(2);

  // Accept the two Berlins' merge: their pairs with Lisbon go, and the merged Berlin is detected
  // against Lisbon, a new pair waiting for a model.
  const berlinTwice = pairOf(page, 'Winters here in Berlin are long.').filter({
    hasText: 'exact duplicate',
  });
  await berlinTwice.getByRole('button', { name: 'Accept merge' }).click();
  await expect(heading(page)).toHaveText('5 possible duplicates, 0 conflicts (3 undecided)');
  const mergedToLisbon = pairOf(page, 'We moved to Lisbon last Wednesday');
  await expect(mergedToLisbon).toHaveCount(1);
  await expect(mergedToLisbon.getByTestId('pair-message')).toHaveText([
    /Winters here in Berlin are long\./,
    /We moved to Lisbon last Wednesday/,
  ]);
  await expect(mergedToLisbon.getByTestId('pair-proposal')).toHaveText(
    'Waits for a model to decide.',
  );
  // Focus went to the pair that took the accepted one's place, and stayed there through the
  // detection that followed.
  await expect(
    pairOf(page, 'puppy').getByRole('heading', { name: 'Possible duplicate' }),
  ).toBeFocused();
  expect(detectionWorkers()).toHaveLength(1);
  expect(errors).toEqual([]);
});
