import { expect, test } from '@playwright/test';

import { resultCount, seedAnswer, watchErrors } from './appSupport';
import { configureEndpoint, servedModel, startReplayServer } from './endpointSupport';

// Issue #13 (18): the app shares the endpoint engine with `extract`, so it takes a server that
// ignores `stream: true` too.
test('a server that answers a streamed request with plain JSON still fills the table', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const server = await startReplayServer({ cors: true, ignoreStream: true });
  try {
    const errors = watchErrors(page);
    await page.goto('/?view=model');
    await configureEndpoint(page, server.baseUrl, servedModel);
    await expect(page.getByTestId('endpoint-connected')).toContainText(`Connected: ${servedModel}`);

    await page.getByRole('link', { name: /^Memories/ }).click();
    await page.getByRole('button', { name: 'Try the example conversation' }).first().click();
    await page.getByRole('button', { name: 'Save 1 conversation' }).click();
    await page.getByRole('button', { name: 'Extract memories →' }).click();
    await expect(page.getByTestId('planned-windows')).toHaveText('1', { timeout: 30_000 });
    await page.getByRole('button', { name: 'Start extraction (1 window)' }).click();
    await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 30_000 });

    await page.getByRole('link', { name: /^Memories/ }).click();
    await expect(resultCount(page)).toHaveText(`${seedAnswer().length} memories`);
    expect(server.chatRequests()[0]?.body?.stream).toBe(true);
    expect(errors).toEqual([]);
  } finally {
    await server.close();
  }
});
