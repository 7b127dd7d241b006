import { create } from 'zustand';

import type { LoadProgress } from '../../engine/types';
import type { WebLlmAnswerOption } from '../../engine/webllm/answerModelList';
import { readAnswerModelSetting, type AnswerModelSetting } from './answerModelSetting';

/** Where the answer model in this browser stands on the GPU. */
export type AnswerSwapStatus =
  | { state: 'none' }
  /** A swap is needed, but extraction holds the GPU (`reason`): it starts when that ends. */
  | { state: 'waiting'; modelId: string; reason: string }
  /** DimMem (`extractorId`) is being taken off the GPU to make room. */
  | { state: 'unloading'; modelId: string; extractorId: string | null }
  | { state: 'loading'; modelId: string; progress: LoadProgress; extractorId: string | null }
  | { state: 'ready'; modelId: string; extractorId: string | null }
  | { state: 'error'; modelId: string; message: string };

export interface AnswerModelState {
  setting: AnswerModelSetting;
  /** WebLLM's prebuilt text models, once its list is read; null before. */
  options: WebLlmAnswerOption[] | null;
  optionsError: string | null;
  swap: AnswerSwapStatus;
  setSetting: (setting: AnswerModelSetting) => void;
  setOptions: (options: WebLlmAnswerOption[] | null, error?: string | null) => void;
  setSwap: (swap: AnswerSwapStatus) => void;
}

/** The answer model as the Ask box shows it: the saved choice and the swap under way. */
export const useAnswerModelStore = create<AnswerModelState>()((set) => ({
  setting: readAnswerModelSetting(),
  options: null,
  optionsError: null,
  swap: { state: 'none' },
  setSetting: (setting) => set({ setting }),
  setOptions: (options, optionsError = null) => set({ options, optionsError }),
  setSwap: (swap) => set({ swap }),
}));
