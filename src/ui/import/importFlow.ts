import type { ConversationRecord } from '../../store/db/records';
import type { ImportCandidate, ReimportChoice } from '../../store/import/importService';
import type { DuplicateChoiceRow } from './DuplicateChoices';
import type { SourceChoices } from './importPreview';

/** Duplicates found before saving: those of the page's sources and of each large file. */
export interface PendingDuplicates {
  small: ImportCandidate[];
  large: Record<string, DuplicateChoiceRow[]>;
}

export interface SavedOutcome {
  saved: ConversationRecord[];
  skipped: number;
  /** Warnings of the sources that were saved, each naming its file. */
  warnings: string[];
  /** Files whose save was cancelled: nothing of them was kept. */
  cancelled: string[];
}

/**
 * The Import view's check → ask → save flow: the user's choices per source, the duplicates it
 * asks about, and the last outcome (saved, or an error).
 */
export interface ImportFlowState {
  choices: Record<string, SourceChoices>;
  /** Set while the user is asked what to do with conversations already stored. */
  asking: PendingDuplicates | null;
  duplicateChoices: Record<string, ReimportChoice>;
  busy: boolean;
  error: string | null;
  saved: SavedOutcome | null;
}

export type ImportFlowAction =
  /** An edit (text, files, choices) makes the last outcome and question stale. */
  | { type: 'edited' }
  | { type: 'choices'; key: string; choices: SourceChoices }
  | { type: 'draft-cleared' }
  | { type: 'duplicate-choice'; id: string; choice: ReimportChoice }
  | { type: 'save-started' }
  | { type: 'ask'; pending: PendingDuplicates }
  | { type: 'saved'; outcome: SavedOutcome }
  | { type: 'failed'; error: string };

export const initialImportFlow: ImportFlowState = {
  choices: {},
  asking: null,
  duplicateChoices: {},
  busy: false,
  error: null,
  saved: null,
};

const stale = { asking: null, saved: null, error: null };

export function importFlowReducer(
  state: ImportFlowState,
  action: ImportFlowAction,
): ImportFlowState {
  switch (action.type) {
    case 'edited':
      return { ...state, ...stale };
    case 'choices':
      return { ...state, ...stale, choices: { ...state.choices, [action.key]: action.choices } };
    case 'draft-cleared':
      return { ...state, choices: {} };
    case 'duplicate-choice':
      return {
        ...state,
        duplicateChoices: { ...state.duplicateChoices, [action.id]: action.choice },
      };
    case 'save-started':
      return { ...state, busy: true, error: null };
    case 'ask':
      return { ...state, busy: false, asking: action.pending };
    case 'saved':
      return { ...state, busy: false, saved: action.outcome, asking: null };
    case 'failed':
      return { ...state, busy: false, error: action.error };
  }
}

/** The rows the duplicate question shows: the page's stored ones, then each large file's. */
export function duplicateRows(pending: PendingDuplicates): DuplicateChoiceRow[] {
  return [
    ...pending.small.flatMap((candidate) =>
      candidate.existing !== null && candidate.match
        ? [
            {
              id: candidate.conversation.id,
              title: candidate.conversation.title,
              match: candidate.match,
            },
          ]
        : [],
    ),
    ...Object.values(pending.large).flat(),
  ];
}
