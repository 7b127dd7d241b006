import { writeFileSync } from 'node:fs';

import { expect, test } from '@playwright/test';

import { resultCount, watchErrors } from './appSupport';

const imgPayload = '<img src=x onerror="window.__xss = (window.__xss || 0) + 1">';
const scriptPayload = '<script>window.__xss = (window.__xss || 0) + 1</script>';

test('chat and model text containing HTML renders as plain text and runs nothing', async ({
  page,
}, testInfo) => {
  const errors = watchErrors(page);
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });

  // A chat whose messages are HTML.
  await page.goto('/?view=import');
  await page
    .getByLabel('Paste a chat')
    .fill(
      `[2023-04-23T08:57:00, Sun] 1.User: ${imgPayload} hello\n` +
        `[2023-04-23T08:58:00, Sun] 2.User: ${scriptPayload} bye`,
    );
  const preview = page.getByRole('region', { name: 'Preview of pasted text' });
  await expect(preview.getByRole('cell').first()).toContainText('<img src=x onerror=');
  await page.getByRole('button', { name: 'Save 1 conversation' }).click();
  await expect(page.getByRole('complementary', { name: 'Conversations' })).toContainText(
    '<img src=x onerror=',
  );

  // Memories whose every field is HTML, restored from a JSONL file.
  const line = {
    conversationId: 'xss-test',
    messageId: 'm0',
    messageText: `${scriptPayload} ${imgPayload}`,
    messageTimestamp: '2023-04-23T08:57:00',
    content: `The user wrote ${imgPayload}`,
    memoryType: 'fact',
    time: '',
    location: '<b>Paris</b>',
    reason: scriptPayload,
    purpose: '<a href="javascript:alert(1)">click</a>',
    keywords: [scriptPayload, '<i>italic</i>'],
  };
  const file = testInfo.outputPath('memories.jsonl');
  writeFileSync(file, `${JSON.stringify(line)}\n`);
  await page.getByLabel('Choose a DimMem backup or memories file').setInputFiles(file);
  await expect(page.getByText('Restored 1 memory')).toBeVisible();

  await page.getByRole('link', { name: /^Memories/ }).click();
  await expect(resultCount(page)).toHaveText('1 memories');
  await page.getByRole('row').filter({ hasText: 'The user wrote' }).click();
  const panel = page.getByTestId('detail-panel');
  await expect(panel.getByTestId('detail-content')).toHaveText(line.content);
  await expect(panel.getByText(line.location, { exact: true })).toBeVisible();
  await expect(panel.getByRole('button', { name: scriptPayload })).toBeVisible();
  await expect(panel.getByText(line.messageText)).toBeVisible();

  // Nothing ran, nothing was turned into elements.
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  expect(dialogs).toBe(0);
  await expect(page.locator('#root img, #root script, #root b, #root i')).toHaveCount(0);
  await expect(page.locator('#root a[href^="javascript"]')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the page carries a Content Security Policy that forbids inline and third-party scripts', async ({
  page,
}) => {
  await page.goto('/');
  const policy = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(policy).not.toContain("'unsafe-inline' 'unsafe-eval'");
  expect(policy).toContain("object-src 'none'");
  // An injected inline script is refused by the policy.
  const ran = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inline = true';
    document.head.append(script);
    return (window as { __inline?: boolean }).__inline === true;
  });
  expect(ran).toBe(false);
});
