import { create } from 'zustand';

import type { AnswerPromptStyle, FusionMode } from '../../core/search';
import type { AskedQuestion } from './askDetails';

/** What the answer being written is doing now. */
export type AskPhase = 'idle' | 'queued' | 'analysing' | 'answering';

export interface AskState {
  /** The Ask box's text; it stays there whatever happens to the answer. */
  question: string;
  promptStyle: AnswerPromptStyle;
  fusion: FusionMode;
  /** Every question asked, newest first. */
  history: AskedQuestion[];
  historyLoaded: boolean;
  /** The question whose answer is shown: being answered, or reopened from the history. */
  shownId: string | null;
  phase: AskPhase;
  /** What the phase waits for or does, in words (`Waiting for the run…`); null when idle. */
  phaseText: string | null;
  /** A message about the last action (an empty question, a failed save); null when none. */
  message: string | null;
  setQuestion: (question: string) => void;
  setPromptStyle: (style: AnswerPromptStyle) => void;
  setFusion: (fusion: FusionMode) => void;
  setHistory: (history: AskedQuestion[]) => void;
  /** Adds a question to the history or replaces it (by id), newest first. */
  upsertQuestion: (question: AskedQuestion) => void;
  removeQuestion: (id: string) => void;
  show: (id: string | null) => void;
  setPhase: (phase: AskPhase, phaseText?: string | null) => void;
  setMessage: (message: string | null) => void;
}

export const useAskStore = create<AskState>()((set) => ({
  question: '',
  promptStyle: 'cited',
  fusion: 'concat',
  history: [],
  historyLoaded: false,
  shownId: null,
  phase: 'idle',
  phaseText: null,
  message: null,
  setQuestion: (question) => set({ question, message: null }),
  setPromptStyle: (promptStyle) => set({ promptStyle }),
  setFusion: (fusion) => set({ fusion }),
  setHistory: (history) => set({ history, historyLoaded: true }),
  upsertQuestion: (question) =>
    set((state) => ({
      history: [question, ...state.history.filter((other) => other.id !== question.id)].sort(
        (a, b) => b.askedAt - a.askedAt,
      ),
    })),
  removeQuestion: (id) =>
    set((state) => ({
      history: state.history.filter((question) => question.id !== id),
      shownId: state.shownId === id ? null : state.shownId,
    })),
  show: (shownId) => set({ shownId }),
  setPhase: (phase, phaseText = null) => set({ phase, phaseText }),
  setMessage: (message) => set({ message }),
}));

/** The question shown in the answer panel, or null. */
export function shownQuestion(state: AskState): AskedQuestion | null {
  return state.history.find((question) => question.id === state.shownId) ?? null;
}
