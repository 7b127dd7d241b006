import { expect, test } from '@playwright/test';

test('the built app loads and shows its shell with no console errors', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'DimMem' })).toBeVisible();
  await expect(page.getByRole('main')).toBeVisible();
  expect(errors).toEqual([]);
});
