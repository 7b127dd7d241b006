import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

import { startModelServer } from '../support/engineModelServer';
import type { ModelServer } from '../support/engineModelServer';
import { watchErrors } from './appSupport';
import { chromiumLaunchOptions, swiftShaderWebGpuArgs } from './chromium';

/**
 * The errors a test expects Chromium to log, each with its reason; anything else the page logs
 * or throws fails the test.
 */
function unexpected(errors: readonly string[], expected: readonly RegExp[]): string[] {
  return errors.filter((error) => !expected.some((pattern) => pattern.test(error)));
}

async function openModelView(page: Page) {
  await page.goto('/?view=model');
  await expect(page.getByRole('heading', { name: 'GPU check' })).toBeVisible();
}

// Chromium's software WebGPU: it works on 127.0.0.1 pages and has no shader-f16.
test.use({ launchOptions: chromiumLaunchOptions(swiftShaderWebGpuArgs) });

test.describe('with SwiftShader WebGPU', () => {
  let server: ModelServer;
  test.beforeAll(async () => {
    server = await startModelServer();
  });
  test.afterAll(async () => {
    await server.close();
  });

  test('the GPU check reports a software adapter without shader-f16 and picks q4f32_1', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await openModelView(page);
    await expect(page.locator('[data-check="software"]')).toHaveAttribute('data-status', 'warn');
    await expect(page.locator('[data-check="software"]')).toContainText('very slow');
    await expect(page.locator('[data-check="shader-f16"]')).toHaveAttribute('data-status', 'warn');
    await expect(page.getByTestId('gpu-verdict')).toContainText('q4f32_1 build will be used');
    await expect(page.getByRole('radio', { name: /Qwen3-4B q4f32_1/ })).toBeChecked();
    await expect(page.getByText('base model, not fine-tuned: lower quality').first()).toBeVisible();
    expect(errors).toEqual([]);
  });

  async function loadFromServer(page: Page, libraryTemplate: string) {
    await openModelView(page);
    await expect(page.getByTestId('gpu-verdict')).toContainText('q4f32_1');
    await page.getByLabel(/^Model URL/).fill(server.modelUrlTemplate);
    await page.getByLabel(/^Model library URL/).fill(libraryTemplate);
    // A new host is not in the page's security policy yet: using it reloads the page.
    const reloaded = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Use this URL' }).click();
    await reloaded;
    await expect(page.locator('meta[data-dimmem-connect-src]')).toHaveAttribute(
      'content',
      new RegExp(` ${new URL(server.modelUrlTemplate).origin.replace(/[.]/g, '\\.')}( |$)`),
    );
    await expect(page.getByRole('radio', { name: /DimMem-4B q4f32_1 \(your URL\)/ })).toBeChecked();
    await page.getByRole('button', { name: /^Load DimMem-4B q4f32_1/ }).click();
  }

  test('downloads with progress, then says clearly that the model library is missing', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await loadFromServer(page, server.missingLibraryTemplate);
    const progress = page.getByTestId('load-progress');
    await expect(progress).toHaveAttribute('data-phase', 'download');
    await expect(page.getByTestId('load-progress-line')).toContainText(/MB of 3\.0 MB · \d+%/);
    const error = page.getByTestId('load-error');
    await expect(error).toBeVisible({ timeout: 20_000 });
    await expect(error).toHaveAttribute('data-code', 'model-library-unavailable');
    await expect(error).toContainText('The model library (.wasm) could not be downloaded');
    await expect(error).toContainText('missing-Qwen3-4B-q4f32_1_cs1k-webgpu.wasm');
    expect(server.requests).toContain('/DimMem-4B-q4f32_1-MLC/params_shard_2.bin');

    // The weights stay in the browser: after a reload the model shows as partly downloaded,
    // with a repair that touches only this model.
    await page.reload();
    const row = page.locator('[data-model-id="DimMem-4B-q4f32_1-MLC:url"]');
    await expect(row).toContainText('Partly downloaded');
    await expect(row.getByRole('button', { name: 'Repair' })).toBeVisible();
    await row.getByRole('button', { name: 'Delete download' }).click();
    await expect(row).toContainText('Not downloaded');
    // Chromium logs the library's 404 itself: that missing file is what this test is about.
    expect(unexpected(errors, [/Failed to load resource: .* 404 \(Not Found\)/])).toEqual([]);
  });

  test('runs the real WebLLM loader in its worker and reports an invalid model library', async ({
    page,
  }) => {
    // The model's worker starts from a blob: URL, so that it inherits the page's narrowed
    // policy (appSafety.spec.ts checks what that policy lets the worker reach).
    const errors = watchErrors(page);
    const started = page.waitForEvent('worker');
    await loadFromServer(page, server.invalidLibraryTemplate);
    expect((await started).url()).toMatch(/^blob:/);
    const error = page.getByTestId('load-error');
    await expect(error).toBeVisible({ timeout: 30_000 });
    await expect(error).toHaveAttribute('data-code', 'model-library-invalid');
    await expect(error).toContainText('not a valid WebLLM library');
    await expect(error.getByRole('button', { name: /Repair/ })).toBeVisible();
    expect(unexpected(errors, [])).toEqual([]);
  });

  test('the recorded-answers demo loads and is labelled as recorded', async ({ page }) => {
    const errors = watchErrors(page);
    await openModelView(page);
    await page.getByRole('button', { name: 'Demo with recorded answers' }).click();
    await expect(page.getByTestId('load-ready')).toContainText('recorded');
    expect(errors).toEqual([]);
  });
});
