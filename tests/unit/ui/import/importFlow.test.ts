import { describe, expect, it } from 'vitest';

import type { PendingDuplicates, SavedOutcome } from '../../../../src/ui/import/importFlow';
import {
  duplicateRows,
  importFlowReducer,
  initialImportFlow,
} from '../../../../src/ui/import/importFlow';
import { seedConversation } from '../../../support/storeFixtures';

const savedOutcome: SavedOutcome = { saved: [], skipped: 2, warnings: [], cancelled: [] };

describe('the Import view flow (check → ask → save)', () => {
  it('an edit makes the last outcome, question and error stale, keeping the choices', () => {
    let state = importFlowReducer(initialImportFlow, {
      type: 'choices',
      key: 'paste',
      choices: { speaker: 'Melanie' },
    });
    state = importFlowReducer(state, { type: 'duplicate-choice', id: 'a', choice: 'replace' });
    state = importFlowReducer(state, { type: 'saved', outcome: savedOutcome });
    state = importFlowReducer(state, { type: 'failed', error: 'disk full' });
    state = importFlowReducer(state, { type: 'edited' });
    expect(state.saved).toBeNull();
    expect(state.error).toBeNull();
    expect(state.asking).toBeNull();
    expect(state.choices).toEqual({ paste: { speaker: 'Melanie' } });
    expect(state.duplicateChoices).toEqual({ a: 'replace' });
  });

  it('asking stops the save without an outcome; saving clears the question', () => {
    const pending: PendingDuplicates = { small: [], large: {} };
    let state = importFlowReducer(initialImportFlow, { type: 'save-started' });
    expect(state.busy).toBe(true);
    state = importFlowReducer(state, { type: 'ask', pending });
    expect(state).toMatchObject({ busy: false, asking: pending, saved: null });
    state = importFlowReducer(state, { type: 'save-started' });
    state = importFlowReducer(state, { type: 'saved', outcome: savedOutcome });
    expect(state).toMatchObject({ busy: false, asking: null, saved: savedOutcome });
  });

  it('asks only about conversations that are stored, then about each large file', () => {
    const conversation = seedConversation();
    const rows = duplicateRows({
      small: [
        { conversation, contentHash: 'h1', existing: null, match: null },
        {
          conversation: { ...conversation, id: 'stored', title: 'Stored one' },
          contentHash: 'h2',
          existing: {} as never,
          match: 'same-source',
        },
      ],
      large: { big: [{ id: 'x', title: 'Big one', match: 'same-content' }] },
    });
    expect(rows).toEqual([
      { id: 'stored', title: 'Stored one', match: 'same-source' },
      { id: 'x', title: 'Big one', match: 'same-content' },
    ]);
  });
});
