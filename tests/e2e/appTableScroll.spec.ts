import { writeFileSync } from 'node:fs';

import type { Locator } from '@playwright/test';
import { expect, test } from '@playwright/test';

import { resultCount, watchErrors } from './appSupport';

const count = 5_000;
const label = (n: number) => `Memory ${String(n).padStart(5, '0')}`;

/** The viewport-relative top of `locator`'s box. */
const topOf = (locator: Locator) =>
  locator.evaluate((element) => element.getBoundingClientRect().top);

// Only a slice of the rows exists at a time, positioned by one padding above them: deep in a long
// table, the rows drawn must be the ones at that scroll position, each at its own place.
test('a long table draws the right rows where they belong, anywhere it is scrolled', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  const lines = Array.from({ length: count }, (_, n) =>
    JSON.stringify({
      conversationId: 'long-table',
      messageId: `m${n}`,
      messageText: `message ${n}`,
      messageTimestamp: '2023-04-23T08:57:00',
      content: label(n),
      memoryType: n % 2 === 0 ? 'fact' : 'episodic',
      time: '',
      location: '',
      reason: '',
      purpose: '',
      keywords: [],
    }),
  );
  const file = testInfo.outputPath('long.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  await page.goto('/?view=import');
  await page.getByLabel('Choose a DimMem backup or memories file').setInputFiles(file);
  await expect(page.getByText(`Restored ${count.toLocaleString('en-US')} memories`)).toBeVisible();

  await page.getByRole('link', { name: /^Memories/ }).click();
  await expect(resultCount(page)).toHaveText(`${count.toLocaleString('en-US')} memories`);
  const table = page.getByRole('table', { name: 'Memories' });
  await table
    .getByRole('columnheader', { name: /Content/ })
    .getByRole('button')
    .click();
  const scroller = page.getByTestId('memory-table-scroll');
  const header = table.locator('thead');
  const row = (index: number) => table.locator(`tbody tr[data-index="${index}"]`);
  // The page itself may scroll too (the table fills the window once scrolled to): measured anew.
  const headerBottomNow = () =>
    header.evaluate((element) => element.getBoundingClientRect().bottom);
  let headerBottom = await headerBottomNow();
  const rowHeight = await row(0).evaluate((element) => element.getBoundingClientRect().height);
  await expect(row(0)).toContainText(label(0));
  expect(Math.abs((await topOf(row(0))) - headerBottom)).toBeLessThan(2);
  // Far fewer rows in the document than in the table.
  expect(await table.locator('tbody tr').count()).toBeLessThan(100);

  // A jump deep into the table (as dragging the scrollbar does): the row at the top is the one
  // whose position was scrolled to, right under the sticky header, and its neighbours follow.
  const target = 3_217;
  await scroller.evaluate((element, top) => (element.scrollTop = top), target * rowHeight);
  await expect(row(target)).toContainText(label(target));
  expect(Math.abs((await topOf(row(target))) - headerBottom)).toBeLessThan(2);
  await expect(row(target + 5)).toContainText(label(target + 5));
  expect((await topOf(row(target + 5))) - (await topOf(row(target)))).toBeCloseTo(5 * rowHeight, 0);
  await expect(row(target)).toHaveAttribute('aria-rowindex', String(target + 2));

  // The wheel, from there (Chromium decides how far one wheel event goes): whatever row the
  // scroll position puts under the header is drawn there, offset by the part scrolled past.
  await scroller.hover();
  await page.mouse.wheel(0, 10 * rowHeight);
  await expect
    .poll(() => scroller.evaluate((element) => element.scrollTop))
    .toBeGreaterThan(target * rowHeight + rowHeight);
  await page.waitForTimeout(300);
  headerBottom = await headerBottomNow();
  const scrollTop = await scroller.evaluate((element) => element.scrollTop);
  const first = Math.floor(scrollTop / rowHeight);
  await expect(row(first)).toContainText(label(first));
  expect(
    Math.abs((await topOf(row(first))) - (headerBottom - (scrollTop - first * rowHeight))),
  ).toBeLessThan(2);

  // The very end: the last memory is drawn, entirely inside the scroll area.
  await scroller.evaluate((element) => (element.scrollTop = element.scrollHeight));
  await expect(row(count - 1)).toContainText(label(count - 1));
  const bottom = await scroller.evaluate((element) => element.getBoundingClientRect().bottom);
  const lastBox = await row(count - 1).evaluate((element) => element.getBoundingClientRect());
  expect(lastBox.bottom).toBeLessThanOrEqual(bottom + 1);
  expect(lastBox.top).toBeGreaterThan(headerBottom);

  // A filter while scrolled deep: the new result starts at the top, its first rows in place.
  await page.locator('.type-toggles button', { hasText: 'Episodic' }).click();
  await expect(resultCount(page)).toHaveText(`2,500 of ${count.toLocaleString('en-US')} memories`);
  await scroller.evaluate((element) => (element.scrollTop = 0));
  await expect(row(0)).toContainText(label(1));
  await expect(row(1)).toContainText(label(3));
  headerBottom = await headerBottomNow();
  expect(Math.abs((await topOf(row(0))) - headerBottom)).toBeLessThan(2);
  expect(errors).toEqual([]);
});
