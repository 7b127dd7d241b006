import { abortableSleep } from '../../core/time/abortableSleep';
import { EngineState } from '../engineState';
import { EngineError, abortError } from '../errors/engineError';
import type { ExtractOptions, ExtractResult, LoadProgress, LoadProgressListener } from '../types';
import { splitIntoTokens } from './splitIntoTokens';

/** Recorded answers by exact prompt, or a function that finds one. */
export type Recordings =
  | ReadonlyMap<string, string>
  | ((prompt: string) => string | undefined | Promise<string | undefined>);

export interface ReplayEngineOptions {
  /** Label of the model whose answers were recorded; memories carry it (and origin "recorded"). */
  modelId?: string;
  /** Streaming pace; `Infinity` streams without waiting (tests). */
  tokensPerSecond?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

export const replayModelId = 'DimMem-4B (recorded answers)';

/** A realistic decode speed of a 4B model on a laptop GPU. */
export const defaultReplayTokensPerSecond = 25;

/**
 * The engine for tests and demos: it streams answers recorded from a real DimMem-4B run, token by
 * token. It never invents one: a prompt without a recording fails its window. Whatever it
 * produces is labelled "recorded" (kind `replay`), never "extracted".
 */
export class ReplayEngine extends EngineState {
  readonly kind = 'replay' as const;
  private readonly recordings: Recordings;
  private readonly options: ReplayEngineOptions;

  constructor(recordings: Recordings, options: ReplayEngineOptions = {}) {
    super();
    this.recordings = recordings;
    this.options = options;
  }

  async load(
    modelId: string,
    onProgress: LoadProgressListener,
    signal?: AbortSignal,
  ): Promise<void> {
    if (signal?.aborted) throw abortError();
    const progress: LoadProgress = { phase: 'ready', fraction: 1, text: 'Recorded answers ready.' };
    onProgress(progress);
    this.loadedModel = modelId || this.options.modelId || replayModelId;
    this.currentStatus = { state: 'ready', modelId: this.loadedModel };
  }

  private async find(prompt: string): Promise<string | undefined> {
    const { recordings } = this;
    return typeof recordings === 'function' ? recordings(prompt) : recordings.get(prompt);
  }

  async extract(prompt: string, options: ExtractOptions): Promise<ExtractResult> {
    const modelId = this.loadedModel;
    if (modelId === null) throw new EngineError('unknown', 'Load the replay engine first.');
    const answer = await this.find(prompt);
    if (answer === undefined) {
      throw new EngineError('no-recording', 'This prompt has no recorded answer.');
    }
    const now = this.options.now ?? (() => performance.now());
    const sleep = this.options.sleep ?? abortableSleep;
    const perToken = 1000 / (this.options.tokensPerSecond ?? defaultReplayTokensPerSecond);
    const tokens = splitIntoTokens(answer);
    const { signal, onText, maxTokens } = options;
    const started = now();
    this.currentStatus = { state: 'generating', modelId };
    let text = '';
    let count = 0;
    let finishReason: ExtractResult['finishReason'] = 'stop';
    try {
      for (const token of tokens) {
        if (signal?.aborted) {
          finishReason = 'abort';
          break;
        }
        if (count >= maxTokens) {
          finishReason = 'length';
          break;
        }
        if (Number.isFinite(perToken) && perToken > 0) await sleep(perToken, signal);
        if (signal?.aborted) {
          finishReason = 'abort';
          break;
        }
        text += token;
        count += 1;
        onText?.(text);
      }
    } finally {
      this.currentStatus = { state: 'ready', modelId };
    }
    const totalSeconds = (now() - started) / 1000;
    return {
      text,
      finishReason,
      usage: { promptTokens: 0, completionTokens: count },
      timings: {
        prefillTokensPerSecond: null,
        decodeTokensPerSecond: totalSeconds > 0 ? count / totalSeconds : null,
        totalSeconds,
      },
    };
  }
}

export function createReplayEngine(
  recordings: Recordings,
  options: ReplayEngineOptions = {},
): ReplayEngine {
  return new ReplayEngine(recordings, options);
}
