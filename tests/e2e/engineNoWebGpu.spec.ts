import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

import { watchErrors } from './appSupport';

async function openModelView(page: Page) {
  await page.goto('/?view=model');
  await expect(page.getByRole('heading', { name: 'GPU check' })).toBeVisible();
}

test.describe('without WebGPU', () => {
  test('the GPU check explains that WebGPU is missing and what to do', async ({ page }) => {
    const errors = watchErrors(page);
    await openModelView(page);
    // Headless Chromium on Linux exposes navigator.gpu but hands out no adapter without the flags;
    // browsers without WebGPU at all fail the first check instead. Either way: one plain reason.
    const failed = page.locator('[data-status="fail"]');
    await expect(failed).toHaveCount(1);
    await expect(failed).toContainText(/WebGPU is (not available|turned off)/);
    await expect(failed).toContainText(/hardware acceleration/);
    await expect(page.getByTestId('gpu-verdict')).toContainText('cannot run the model');
    await expect(page.getByRole('button', { name: /^Load / })).toBeDisabled();
    expect(errors).toEqual([]);
  });
});
