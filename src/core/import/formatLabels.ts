import type { ImportFormatId } from '../conversation';

/** Names a person recognises, for the UI and for error messages. */
export const formatLabels: Record<ImportFormatId, string> = {
  'dimmem-lines': 'DimMem lines',
  transcript: 'plain transcript',
  'chatgpt-export': 'ChatGPT export',
  'claude-export': 'Claude export',
  longmemeval: 'LongMemEval',
  locomo: 'LoCoMo',
  sharegpt: 'ShareGPT',
  'openai-messages': 'OpenAI messages',
};
