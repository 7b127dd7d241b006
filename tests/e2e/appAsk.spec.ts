import { expect, test } from '@playwright/test';

import type { OpenAiTestServer } from '../support/openaiServer';
import { startOpenAiTestServer } from '../support/openaiServer';
import { importAndExtractExample, resultCount, seedAnswer, watchErrors } from './appSupport';
import { configureEndpoint } from './endpointSupport';

const answerModel = 'qwen3-4b-answers-test';
const question = 'What pasta did I want to cook in April 2023?';

const modelAnalysis = {
  query_anchor: 'What pasta did the user want to cook in April 2023?',
  need_assistant_context: false,
  dimension: {
    target_memory_type: ['episodic', 'profile'],
    keywords: ['pasta', 'Spaghetti alla Bolognese'],
    time: 'between 2023-04-01 and 2023-04-30',
    location: '',
  },
  answer_dim: 'content',
};
const modelAnswer =
  'Reasoning: The user planned a Bolognese [1] and pasta made from scratch [2].\nAnswer: Spaghetti alla Bolognese [1], and homemade pasta [2].';

/** The memory the answer prompt numbered `n` (what citation `[n]` names). */
function promptMemory(prompt: string, n: number): string {
  const match = new RegExp(`\\[${n}\\]\\nsource_time: [^\\n]*\\ncontent: ([^\\n]*)`).exec(prompt);
  if (!match) throw new Error(`memory [${n}] not in the answer prompt`);
  return match[1]!;
}

test.describe('the Ask box', () => {
  let server: OpenAiTestServer;
  test.beforeEach(async () => {
    server = await startOpenAiTestServer({
      models: [answerModel],
      allowOrigin: '*',
      respond: ({ prompt }) =>
        prompt.includes('You are a memory query parser')
          ? { kind: 'answer', text: JSON.stringify(modelAnalysis) }
          : { kind: 'answer', text: modelAnswer },
    });
  });
  test.afterEach(async () => {
    await server.close();
  });

  test('ranks as the question is typed, answers with citations that open the memory, and keeps the history', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const errors = watchErrors(page);
    await importAndExtractExample(page);
    await configureEndpoint(page, server.baseUrl, answerModel);
    await expect(page.getByTestId('endpoint-connected')).toContainText(answerModel);

    await page.getByRole('link', { name: /^Memories/ }).click();
    const memories = seedAnswer();
    await expect(resultCount(page)).toHaveText(`${memories.length} memories`);

    // `?` focuses the Ask box; an empty question cannot be answered.
    await page.locator('body').press('?');
    const box = page.getByRole('searchbox', { name: 'Ask a question' });
    await expect(box).toBeFocused();
    const answerButton = page.getByRole('button', { name: 'Answer', exact: true });
    await expect(answerButton).toBeDisabled();
    await expect(page.getByTestId('answer-by')).toHaveText(
      `Answers by ${answerModel} at ${server.baseUrl}.`,
    );
    await expect(page.getByTestId('ask-meaning')).toHaveCount(0);

    // Typing ranks at once, without a model: rank, why, the time understood, the routes.
    await box.fill(question);
    const status = page.getByTestId('ask-status');
    await expect(status).toContainText('between 2023-04-01 and 2023-04-30');
    await expect(status).toContainText('meaning route off');
    const ranks = page.getByTestId('rank');
    await expect(ranks.first()).toHaveText('1');
    const firstRow = page
      .getByRole('row')
      .filter({ has: page.getByTestId('rank').getByText('1', { exact: true }) });
    await expect(firstRow.getByTestId('rank-why')).toContainText('words #1');
    await expect(
      page.getByTestId('rank-why').filter({ hasText: 'between 2023-04-01 and 2023-04-30' }).first(),
    ).toBeVisible();
    const rankedCount = await ranks.count();
    expect(rankedCount).toBeGreaterThan(0);
    await expect(firstRow).toContainText(/pasta|Spaghetti/i);

    // Escape leaves the box; clearing the question gives the table its own order back.
    await box.press('Escape');
    await expect(box).not.toBeFocused();
    await page.getByRole('button', { name: 'Clear question' }).first().click();
    await expect(ranks).toHaveCount(0);
    await expect(page.getByRole('row').nth(1)).toContainText(memories[0]!.content);

    // A question nothing matches says so.
    await box.fill('xylophone quarks');
    await expect(page.getByText('No memory matches the question')).toBeVisible();

    // Answer: the endpoint reads the question (constrained JSON), then answers citing [1] and [2].
    await box.fill(question);
    await answerButton.click();
    const answer = page.getByTestId('ask-answer');
    await expect(answer.getByTestId('answer-status')).toHaveText('done', { timeout: 30_000 });
    await expect(answer.getByTestId('answer-model')).toContainText(
      `Answer by ${answerModel} at ${server.baseUrl}`,
    );
    await expect(answer.getByTestId('answer-text')).toContainText('Spaghetti alla Bolognese');
    const chats = server.chatRequests();
    expect(chats).toHaveLength(2);
    expect(chats[0]!.body!.response_format).toMatchObject({ type: 'json_schema' });
    const answerPrompt = (chats[1]!.body!.messages as { content: string }[])[0]!.content;
    expect(answerPrompt).toContain('Cite the memories you used');
    const second = promptMemory(answerPrompt, 2);

    // Citation [2] opens that memory's detail, with its source message.
    await answer.getByRole('button', { name: 'Memory 2' }).last().click();
    const detail = page.getByTestId('detail-panel');
    await expect(detail.getByTestId('detail-content')).toHaveText(second);
    await expect(detail.getByTestId('source-message')).toBeVisible();

    // The history survives a reload, and reopens the answer with its model.
    await page.reload();
    const history = page.getByRole('complementary', { name: 'Question history' });
    // The memories view is its own chunk: on a loaded machine it can take a while to arrive.
    await expect(history.getByRole('button', { name: question, exact: true })).toBeVisible({
      timeout: 30_000,
    });
    await history.getByRole('button', { name: question, exact: true }).click();
    await expect(page.getByRole('searchbox', { name: 'Ask a question' })).toHaveValue(question);
    await expect(page.getByTestId('answer-model')).toContainText(answerModel);
    await page.getByTestId('ask-answer').getByRole('button', { name: 'Memory 1' }).first().click();
    await expect(page.getByTestId('detail-content')).toHaveText(promptMemory(answerPrompt, 1));

    // Deleting it empties the history.
    await history.getByRole('button', { name: `Delete question “${question}”` }).click();
    await expect(history.getByText('Questions (0)')).toBeVisible();
    expect(errors).toEqual([]);
  });
});
