import { expect, test } from '@playwright/test';

import { importAndExtractExample, resultCount, seedAnswer, watchErrors } from './appSupport';

// The table draws only a slice of its rows (TanStack rows are built for the visible ones), so
// sorting, selection, resizing and row positions for assistive technology are checked for real.
test('the memories table sorts, selects, resizes and tells screen readers where each row is', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  const total = seedAnswer().length;
  await importAndExtractExample(page);
  await page.getByRole('link', { name: /^Memories/ }).click();
  await expect(resultCount(page)).toHaveText(`${total} memories`);

  const table = page.getByRole('table', { name: 'Memories' });
  const rows = table.locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  await expect(table).toHaveAttribute('aria-rowcount', String(total + 1));
  await expect(rows.first()).toHaveAttribute('aria-rowindex', '2');

  const contentHeader = table.getByRole('columnheader', { name: /Content/ });
  const contents = () =>
    rows.evaluateAll((trs) =>
      trs
        .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
        .map((tr) => tr.querySelectorAll('td')[1]?.querySelector('.cell-text')?.textContent ?? ''),
    );
  await contentHeader.getByRole('button').click();
  await expect(contentHeader).toHaveAttribute('aria-sort', 'ascending');
  const ascending = await contents();
  expect(ascending).toEqual(
    [...ascending].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' })),
  );
  await contentHeader.getByRole('button').click();
  await expect(contentHeader).toHaveAttribute('aria-sort', 'descending');
  expect((await contents())[0]).toBe(ascending[ascending.length - 1]);

  const selection = page.getByRole('region', { name: 'Selected memories' });
  await rows.first().getByRole('checkbox', { name: 'Select memory' }).check();
  await expect(rows.first()).toHaveAttribute('aria-selected', 'true');
  await expect(selection).toContainText('1 memory selected');
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  await expect(selection).toContainText('2 memories selected');

  const widthOf = (locator: typeof contentHeader) =>
    locator.evaluate((element) => element.getBoundingClientRect().width);
  const before = await widthOf(contentHeader);
  const handle = await contentHeader.getByRole('separator').boundingBox();
  expect(handle).not.toBeNull();
  await page.mouse.move(handle!.x + handle!.width / 2, handle!.y + handle!.height / 2);
  await page.mouse.down();
  await page.mouse.move(handle!.x + 80, handle!.y + handle!.height / 2, { steps: 5 });
  await page.mouse.up();
  const after = await widthOf(contentHeader);
  expect(after).toBeGreaterThan(before + 40);
  // The cells follow their header.
  expect(Math.abs((await widthOf(rows.first().locator('td').nth(1))) - after)).toBeLessThan(2);
  expect(errors).toEqual([]);
});
