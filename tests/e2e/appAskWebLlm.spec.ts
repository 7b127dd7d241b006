import { expect, test } from '@playwright/test';

import { startModelServer } from '../support/engineModelServer';
import type { ModelServer } from '../support/engineModelServer';
import { importAndExtractExample, watchErrors } from './appSupport';
import { chromiumLaunchOptions, swiftShaderWebGpuArgs } from './chromium';

const label = 'Qwen3-4B-q4f32_1-MLC in this browser (WebLLM)';

// Chromium's software WebGPU: no shader-f16, so the GPU check picks the q4f32_1 build.
test.use({ launchOptions: chromiumLaunchOptions(swiftShaderWebGpuArgs) });

test.describe('answers by a model in this browser (SwiftShader WebGPU)', () => {
  let server: ModelServer;
  test.beforeAll(async () => {
    server = await startModelServer();
  });
  test.afterAll(async () => {
    await server.close();
  });

  test('Qwen3-4B downloads with progress, loads in WebLLM’s worker, a failure leaves the box ready; another model of the list is offered and kept', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const errors = watchErrors(page);
    // WebLLM's Qwen3-4B files are the stand-in folder's (Hugging Face cannot be reached here);
    // its model library is not WebAssembly, so WebLLM's own loader stops at it.
    const folder = server.modelUrlTemplate.replace('{quant}', 'q4f32_1');
    await page.route('https://huggingface.co/mlc-ai/Qwen3-4B-q4f32_1-MLC/**', async (route) => {
      const file = new URL(route.request().url()).pathname.split('/').at(-1)!;
      await route.fulfill({ response: await route.fetch({ url: folder + file }) });
    });
    await page.route('https://raw.githubusercontent.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'application/wasm', body: 'not WebAssembly' }),
    );
    await importAndExtractExample(page);
    await page.getByRole('link', { name: /^Memories/ }).click();

    const choice = page.getByRole('combobox', { name: 'Answering model' });
    // From the keyboard: the endpoint is the default, Qwen3-4B the next choice.
    await expect(choice).toHaveValue('endpoint');
    await choice.focus();
    await page.keyboard.press('ArrowDown');
    await expect(choice).toHaveValue('qwen3-4b');
    await expect(page.getByTestId('answer-by')).toHaveText(`Answers by ${label}.`, {
      timeout: 20_000,
    });
    // The size of Qwen3-4B's weights, estimated as the Model view does until they are stored.
    await expect(choice.locator('option:checked')).toContainText('(2.1 GB download, once)', {
      timeout: 20_000,
    });

    await page
      .getByRole('searchbox', { name: 'Ask a question' })
      .fill('What pasta did I want to cook in April 2023?');
    const started = page.waitForEvent('worker');
    await page.getByRole('button', { name: 'Answer', exact: true }).click();
    const swap = page.getByTestId('answer-swap');
    await expect(swap).toHaveAttribute('data-phase', 'download');
    await expect(page.getByTestId('answer-swap-line')).toContainText(/MB of 3\.0 MB · \d+%/);
    expect((await started).url()).toMatch(/^blob:/);

    const answer = page.getByTestId('ask-answer');
    await expect(answer.getByTestId('answer-status')).toHaveText('failed', { timeout: 30_000 });
    await expect(answer.getByTestId('answer-model')).toContainText(`Answer by ${label}`);
    await expect(answer.getByTestId('answer-error')).toContainText('not a valid WebLLM library');
    await expect(swap).toContainText('Qwen3-4B-q4f32_1-MLC could not be loaded');
    // Nothing is left half done: the box takes the next question, the choice stays saved.
    await expect(page.getByRole('button', { name: 'Answer', exact: true })).toBeEnabled();
    await expect(choice.locator('option:checked')).toContainText('(downloaded)');
    await expect(page.getByTestId('ask-phase')).toHaveCount(0);
    expect(server.requests).toContain('/DimMem-4B-q4f32_1-MLC/params_shard_2.bin');
    await page.reload();
    const kept = page.getByRole('combobox', { name: 'Answering model' });
    await expect(kept).toHaveValue('qwen3-4b');

    // Another model of WebLLM's list: its text models with the GPU memory they need.
    await kept.selectOption('webllm');
    const other = page.getByRole('combobox', { name: 'WebLLM model' });
    const llama = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
    await expect(other.locator(`option[value="${llama}"]`)).toContainText(
      `${llama} · 1.1 GB of GPU memory · fits small devices`,
    );
    await expect(other.locator('option', { hasText: 'embed' })).toHaveCount(0);
    await other.selectOption(llama);
    await expect(page.getByTestId('answer-by')).toHaveText(
      `Answers by ${llama} in this browser (WebLLM).`,
    );
    // An f16 build on this GPU (no shader-f16) is refused before anything downloads.
    await other.selectOption('Llama-3.2-1B-Instruct-q4f16_1-MLC');
    await expect(page.getByTestId('answer-by')).toContainText(
      'needs half-precision shaders (shader-f16), which this GPU lacks',
    );
    await page.reload();
    await expect(page.getByRole('combobox', { name: 'WebLLM model' })).toHaveValue(
      'Llama-3.2-1B-Instruct-q4f16_1-MLC',
    );
    expect(errors).toEqual([]);
  });
});
