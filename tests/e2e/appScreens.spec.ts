import { expect, test } from '@playwright/test';

import { importAndExtractExample, resultCount, screenshot, watchErrors } from './appSupport';

test.use({ viewport: { width: 1440, height: 900 } });

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every view renders in ${colorScheme} mode (screenshots for a person to look at)`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const errors = watchErrors(page);
    await page.emulateMedia({ colorScheme });

    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'No memories yet' })).toBeVisible();
    await screenshot(page, `empty-${colorScheme}`);

    await importAndExtractExample(page);
    await screenshot(page, `runs-${colorScheme}`);

    await page.getByRole('link', { name: /^Memories/ }).click();
    await expect(resultCount(page)).toHaveText('16 memories');
    await screenshot(page, `memories-${colorScheme}`);

    await page.getByRole('row').filter({ hasText: 'Bella Vita' }).first().click();
    await expect(page.getByTestId('source-message')).toBeVisible();
    await screenshot(page, `memory-detail-${colorScheme}`);

    await page.getByRole('link', { name: 'Import', exact: true }).click();
    await page.getByRole('button', { name: 'Try the example conversation' }).click();
    await expect(page.getByRole('region', { name: /Preview of/ })).toBeVisible();
    await screenshot(page, `import-${colorScheme}`);

    await page.getByRole('link', { name: 'Model', exact: true }).click();
    // The Model view loads lazily: wait for it rather than shooting its fallback.
    await expect(page.getByRole('heading', { level: 2, name: 'Model' })).toBeVisible();
    await screenshot(page, `model-${colorScheme}`);

    // The palette really follows the system setting.
    const background = await page.evaluate(
      () => getComputedStyle(document.documentElement).backgroundColor,
    );
    expect(background).toBe(colorScheme === 'dark' ? 'rgb(13, 15, 20)' : 'rgb(247, 247, 249)');
    expect(errors).toEqual([]);
  });
}
