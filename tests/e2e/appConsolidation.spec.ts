import path from 'node:path';

import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';

import type { OpenAiTestServer } from '../support/openaiServer';
import { startOpenAiTestServer } from '../support/openaiServer';
import type { StandInDecision } from '../support/openaiServerDecisions';
import {
  decisionAnswer,
  isDecisionPrompt,
  readDecisionPrompt,
} from '../support/openaiServerDecisions';
import { fixtureData, resultCount, storedRecords, watchErrors } from './appSupport';
import { configureEndpoint } from './endpointSupport';

/**
 * The review flow of issue #17 in the browser, on the consolidation fixture (known duplicates, a
 * conflict, lookalikes that must stay apart), with the endpoint engine deciding the pairs no rule
 * decides. Memories are restored from the fixture's JSONL (as a user would restore an export).
 */

const deciderModel = 'qwen3-4b-decisions-test';
const fixture = path.join(fixtureData, 'consolidate/memories.jsonl');

/** What the stand-in model decides, by the newer memory's text; anything else: keep both. */
const decisions: Record<string, StandInDecision> = {
  'The user tried the Spaghetti Carbonara at Bella Vita and loved it.': {
    decision: 'MERGE',
    reasoning: 'The same lunch at Bella Vita; the newer one adds that the user loved it.',
  },
  'The user lives in Lisbon.': {
    decision: 'SUPERSEDE',
    reasoning: 'Where the user lives changed; the newer memory wins.',
  },
};

const tidyTab = (page: Page) => page.getByRole('link', { name: /^Tidy/ });
const memoriesTab = (page: Page) => page.getByRole('link', { name: /^Memories/ });
const heading = (page: Page) => page.getByTestId('review-heading');
const pairOf = (page: Page, text: string) =>
  page.getByTestId('review-pair').filter({ hasText: text });

interface StoredVersion {
  id: string;
  content: string;
  supersededBy?: string;
  mergedFrom?: string[];
  validUntil?: number;
}

test.describe('tidying memories', () => {
  let server: OpenAiTestServer;
  test.beforeEach(async () => {
    server = await startOpenAiTestServer({
      models: [deciderModel],
      allowOrigin: '*',
      respond: ({ prompt }) => {
        if (!isDecisionPrompt(prompt)) {
          return { kind: 'error', status: 400, message: 'not a decision prompt' };
        }
        const pair = readDecisionPrompt(prompt);
        const decided = decisions[pair.newer.content] ?? {
          decision: 'KEEP_BOTH',
          reasoning: 'Different things.',
        };
        // Slow enough that Stop lands while a pair is being decided.
        return { kind: 'answer', text: decisionAnswer(pair, decided), delayMs: 600 };
      },
    });
  });
  test.afterEach(async () => {
    await server.close();
  });

  test('the endpoint decides; merge, keep both, supersede, undo and pin, across a reload and a second tab', async ({
    page,
    context,
  }) => {
    test.setTimeout(120_000);
    const errors = watchErrors(page);
    await page.goto('/?view=import');
    await page.getByLabel('Choose a DimMem backup or memories file').setInputFiles(fixture);
    await expect(page.getByText('Restored 18 memories')).toBeVisible();
    // Without a model: the view says why none can decide; rules still propose exact duplicates.
    await tidyTab(page).click();
    await expect(page.getByTestId('consolidation-unavailable')).toContainText(
      'No model to answer with',
    );
    await expect(page.getByTestId('consolidation-unavailable')).toContainText('merged by rule');
    await expect(page.getByRole('region', { name: 'Nothing to review' })).toContainText(
      'among your 18 memories',
    );
    await page.getByRole('button', { name: 'Find duplicates' }).click();
    await expect(heading(page)).toHaveText('7 possible duplicates, 0 conflicts (4 undecided)');
    await expect(page.getByTestId('consolidation-method')).toContainText('shared words');
    await expect(page.getByRole('region', { name: 'Nothing to review' })).toHaveCount(0);
    const berlinTwice = pairOf(page, 'Winters here in Berlin are long.').filter({
      hasText: 'exact duplicate',
    });
    await expect(berlinTwice.getByTestId('pair-proposal')).toHaveText(
      /Proposed: Merge, by rule \(exact duplicate\)/,
    );
    // Both source messages, side by side; the lookalikes of two people are never paired.
    await expect(berlinTwice.getByTestId('pair-message')).toHaveText([
      /I live in Berlin and need a bigger flat\./,
      /Winters here in Berlin are long\./,
    ]);
    // Caroline's puppy twice is one pair; Melanie's same words (at 02:10 PM) are another person's.
    const puppy = pairOf(page, 'puppy');
    await expect(puppy).toHaveCount(1);
    await expect(puppy).toContainText('Jun 20, 2023');
    await expect(puppy).not.toContainText('May 8, 2023, 02:10 PM');
    await expect(page.getByRole('button', { name: /^Ask the model/ })).toBeDisabled();

    // With the endpoint: the queue is still there (the Model view reloaded the page).
    await configureEndpoint(page, server.baseUrl, deciderModel);
    await expect(page.getByTestId('endpoint-connected')).toContainText(deciderModel);
    await tidyTab(page).click();
    await expect(page.getByTestId('consolidation-model')).toContainText(
      `Decisions by ${deciderModel}`,
    );
    await expect(heading(page)).toHaveText('7 possible duplicates, 0 conflicts (4 undecided)');

    // The endpoint decides the other four, one request each, with progress; Stop leaves the pair
    // being decided undecided, and asking again decides the rest.
    await page.getByRole('button', { name: 'Ask the model (4 pairs)' }).click();
    const progress = page.getByTestId('consolidation-progress');
    await expect(progress).toContainText(/of 4 pairs decided/);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(progress).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^Ask the model/ })).toBeFocused();
    await expect(heading(page)).toHaveText(/\([1-4] undecided\)$/);
    await page.getByRole('button', { name: /^Ask the model \([1-4] pairs?\)$/ }).click();
    await expect(heading(page)).toHaveText('5 possible duplicates, 2 conflicts', {
      timeout: 30_000,
    });
    const asked = server.chatRequests();
    expect(asked.length).toBeGreaterThanOrEqual(4);
    for (const request of asked) {
      expect(request.body!.response_format).toMatchObject({
        type: 'json_schema',
        json_schema: { name: 'dimmem_consolidation_decision' },
      });
    }
    const carbonara = pairOf(page, 'Bella Vita');
    await expect(carbonara.getByTestId('pair-proposal')).toContainText(
      `Proposed: Merge, by ${deciderModel}`,
    );
    await expect(carbonara.getByTestId('pair-proposal')).toContainText('The same lunch');
    await expect(carbonara.getByTestId('merged-text')).toHaveText(
      'The user tried the Spaghetti Carbonara at Bella Vita and loved it.',
    );

    // Accept the model's merge: the next pair takes its place and the focus.
    await carbonara.getByRole('button', { name: 'Accept merge' }).click();
    await expect(heading(page)).toHaveText('4 possible duplicates, 2 conflicts');
    await expect(carbonara).toHaveCount(0);
    const sister = pairOf(page, 'sister');
    await expect(sister.getByRole('heading', { name: 'Possible duplicate' })).toBeFocused();
    // Keep both: a rule's merge declined.
    await pairOf(page, 'flat white').getByRole('button', { name: 'Keep both' }).click();
    await expect(heading(page)).toHaveText('3 possible duplicates, 2 conflicts');

    // A reload mid-way: the same queue, and the database holds each memory once.
    await page.reload();
    await expect(heading(page)).toHaveText('3 possible duplicates, 2 conflicts', {
      timeout: 30_000,
    });
    const stored = await storedRecords<StoredVersion>(page, 'memories');
    expect(stored).toHaveLength(19);
    expect(new Set(stored.map((memory) => memory.id)).size).toBe(19);
    const merged = stored.find((memory) => memory.mergedFrom !== undefined)!;
    expect(merged.mergedFrom).toEqual(['mem-carbonara-1', 'mem-carbonara-2']);
    expect(stored.filter((memory) => memory.supersededBy === merged.id)).toHaveLength(2);

    // A second tab sees the same queue; a supersede accepted there shows here too.
    const second = await context.newPage();
    const secondErrors = watchErrors(second);
    await second.goto('/?view=tidy');
    await expect(heading(second)).toHaveText('3 possible duplicates, 2 conflicts', {
      timeout: 30_000,
    });
    const berlinToLisbon = pairOf(second, 'need a bigger flat').filter({ hasText: 'Lisbon' });
    await expect(berlinToLisbon.getByRole('heading', { name: 'Conflict' })).toBeVisible();
    await berlinToLisbon.getByRole('button', { name: 'Accept: newer replaces older' }).click();
    // The other pairs of those two memories are gone: they are earlier versions now. Detection
    // ran again after the accept: the new Lisbon meets the other Berlin, a pair waiting for a
    // model (a chain, as the CLI's next pass finds it).
    await expect(heading(second)).toHaveText('3 possible duplicates, 0 conflicts (1 undecided)');
    await expect(heading(page)).toHaveText('3 possible duplicates, 0 conflicts (1 undecided)');
    await expect(
      pairOf(page, 'Winters here in Berlin are long.').filter({ hasText: 'We moved to Lisbon' }),
    ).toHaveCount(1);
    await second.close();

    // The table shows current versions only: 18 − 2 + 1 − 2 + 1.
    await memoriesTab(page).click();
    await expect(resultCount(page)).toHaveText('16 memories');
    await page.getByRole('searchbox', { name: /Search/ }).fill('lives in');
    const lisbonRows = page.getByRole('row').filter({ hasText: 'The user lives in Lisbon.' });
    await expect(lisbonRows).toHaveCount(1);
    await expect(
      page.getByRole('row').filter({ hasText: 'The user lives in Berlin.' }),
    ).toHaveCount(1);

    // Its history: both earlier versions with their dates, "valid until" on the replaced fact.
    await lisbonRows.click();
    const history = page.getByTestId('memory-history');
    await expect(history).toContainText(`Newer replaces older, by ${deciderModel}`);
    const versions = history.getByTestId('history-version');
    await expect(versions).toHaveCount(2);
    await expect(versions.first()).toContainText('The user lives in Berlin.');
    await expect(versions.first().getByTestId('valid-until')).toHaveText(
      /valid until May 10, 2023/,
    );
    await expect(versions.last()).toContainText('The user lives in Lisbon.');
    await versions.first().getByRole('button', { name: 'Source message' }).click();
    await expect(versions.first()).toContainText('I live in Berlin and need a bigger flat.');

    // Undo: the earlier versions are current again.
    await history.getByRole('button', { name: 'Undo replacement' }).click();
    await expect(resultCount(page)).toHaveText(/of 17 memories$/);
    await expect(
      page.getByRole('row').filter({ hasText: 'The user lives in Berlin.' }),
    ).toHaveCount(2);
    await expect(lisbonRows).toHaveCount(1);

    // Pin one Berlin; then merge exact duplicates automatically: the puppy pair merges by rule,
    // the two Berlins stay as they are, their pair waiting for a decision (a pinned memory is
    // never merged by rule).
    await page.getByRole('row').filter({ hasText: 'The user lives in Berlin.' }).last().click();
    await page.getByTestId('pin-toggle').getByRole('button', { name: 'Pin' }).click();
    await expect(page.getByTestId('pin-toggle')).toContainText('Pinned: never merged');
    await expect(
      page.getByTestId('pin-toggle').getByRole('button', { name: 'Unpin' }),
    ).toBeVisible();
    await tidyTab(page).click();
    await page.getByRole('checkbox', { name: /Merge exact duplicates automatically/ }).check();
    await expect(pairOf(page, 'puppy')).toHaveCount(0);
    await expect(heading(page)).toHaveText('3 possible duplicates, 0 conflicts (2 undecided)');
    const pinnedPair = pairOf(page, 'Winters here in Berlin are long.').filter({
      hasText: 'need a bigger flat',
    });
    await expect(pinnedPair).toContainText('pinned');
    await expect(pinnedPair.getByTestId('pair-proposal')).toHaveText(
      'Waits for a model to decide.',
    );
    // Edit: the sister pair (the model said keep both) merged with the person's own text.
    const sister2 = pairOf(page, 'sister');
    await sister2.getByRole('button', { name: 'Merge with my text…' }).click();
    await sister2
      .getByLabel('Merged text')
      .fill("The user's sister lives in Porto, close to the user.");
    await sister2.getByRole('button', { name: 'Accept edited text' }).click();
    await expect(heading(page)).toHaveText('2 possible duplicates, 0 conflicts (2 undecided)');
    await memoriesTab(page).click();
    await page.getByRole('searchbox', { name: /Search/ }).fill('');
    await expect(resultCount(page)).toHaveText('15 memories');
    await expect(
      page
        .getByRole('row')
        .filter({ hasText: "The user's sister lives in Porto, close to the user." })
        .filter({ hasText: 'edited' })
        .filter({ hasText: 'merged' }),
    ).toHaveCount(1);
    const puppyRow = page
      .getByRole('row')
      .filter({ hasText: 'The user adopted a puppy named Max.' });
    // Caroline's two became one (marked merged); Melanie's stays.
    await expect(puppyRow).toHaveCount(2);
    await expect(puppyRow.filter({ hasText: 'merged' })).toHaveCount(1);
    expect(secondErrors).toEqual([]);
    expect(errors).toEqual([]);
  });
});
