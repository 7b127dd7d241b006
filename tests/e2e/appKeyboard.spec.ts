import type { Locator, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';

import { resultCount, seedAnswer, watchErrors } from './appSupport';

/** Presses Tab until `target` has focus: proves it is reachable in the focus order. */
async function tabTo(page: Page, target: Locator, maxPresses = 60): Promise<void> {
  for (let press = 0; press < maxPresses; press++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

test('keyboard only: import the example, run the demo, filter and open a memory', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('/');

  // The skip link comes first and jumps to the main content.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();

  await tabTo(page, page.getByRole('button', { name: 'Try the example conversation' }));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('button', { name: 'Save 1 conversation' }));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('button', { name: 'Extract memories →' }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('planned-windows')).toHaveText('1', { timeout: 30_000 });

  const pace = page.getByRole('combobox', { name: 'pace' });
  await tabTo(page, pace);
  await page.keyboard.press('ArrowDown');
  await expect(pace).toHaveValue('400');
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('button', { name: 'Demo with recorded answers' })).toBeFocused();
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('button', { name: 'Start extraction (1 window)' }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 30_000 });

  // `/` jumps to the search from any view.
  await page.keyboard.press('/');
  const search = page.getByRole('searchbox', { name: /Search/ });
  await expect(search).toBeFocused();
  await expect(resultCount(page)).toHaveText('16 memories');
  await page.keyboard.type('paris');
  const parisCount = seedAnswer().filter((m) =>
    [m.content, m.dimension.location, ...m.dimension.keywords]
      .join(' ')
      .toLowerCase()
      .includes('paris'),
  ).length;
  await expect(resultCount(page)).toHaveText(`${parisCount} of 16 memories`);

  // ArrowDown leaves the search for the rows; j/k move; Enter opens; Esc closes.
  await page.keyboard.press('ArrowDown');
  const rows = page.locator('tbody tr');
  await expect(rows.nth(0)).toBeFocused();
  await page.keyboard.press('j');
  await expect(rows.nth(1)).toBeFocused();
  await page.keyboard.press('k');
  await expect(rows.nth(0)).toBeFocused();
  const firstContent = (await rows.nth(0).locator('.cell-text').first().textContent()) ?? '';
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('detail-panel');
  await expect(panel.getByTestId('detail-content')).toHaveText(firstContent);
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(rows.nth(0)).toBeFocused();

  // x selects the active row for bulk actions.
  await page.keyboard.press('x');
  await expect(page.getByRole('region', { name: 'Selected memories' })).toContainText(
    '1 memory selected',
  );

  // Type filter from the keyboard.
  const profile = page
    .getByRole('group', { name: 'Type' })
    .getByRole('button', { name: /Profile/ });
  await page.keyboard.press('Shift+Tab');
  await tabTo(page, profile);
  await page.keyboard.press('Enter');
  await expect(profile).toHaveAttribute('aria-pressed', 'true');
  const profileParis = seedAnswer().filter(
    (m) =>
      m.dimension.memory_type === 'profile' &&
      [m.content, m.dimension.location, ...m.dimension.keywords]
        .join(' ')
        .toLowerCase()
        .includes('paris'),
  ).length;
  await expect(resultCount(page)).toHaveText(`${profileParis} of 16 memories`);
  expect(errors).toEqual([]);
});
