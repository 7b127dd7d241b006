/**
 * The one small interface every engine implements: WebLLM in a worker (the real model, on the
 * user's GPU), the replay engine (recorded answers, for tests and demos only), and later an
 * OpenAI-compatible endpoint. The rest of the app only sees this.
 */
export type EngineKind = 'webllm' | 'replay' | 'openai-endpoint';

export type LoadPhase = 'check' | 'download' | 'cache' | 'gpu-init' | 'ready';

export interface LoadProgress {
  phase: LoadPhase;
  /** 0..1 within the whole load, when known. */
  fraction: number | null;
  loadedBytes?: number;
  totalBytes?: number;
  /** Seconds left in the current phase, when it can be estimated. */
  secondsLeft?: number;
  text: string;
}

/** Told each step of a load. */
export type LoadProgressListener = (progress: LoadProgress) => void;

export type EngineStatus =
  | { state: 'idle' }
  | { state: 'loading'; progress: LoadProgress }
  | { state: 'ready'; modelId: string }
  | { state: 'generating'; modelId: string }
  | { state: 'error'; message: string };

export interface ExtractOptions {
  maxTokens: number;
  signal?: AbortSignal;
  /** Called with the whole text generated so far, each time it grows. */
  onText?: (textSoFar: string) => void;
}

export interface ExtractUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface ExtractTimings {
  /** Tokens per second while reading the prompt. */
  prefillTokensPerSecond: number | null;
  /** Tokens per second while writing the answer. */
  decodeTokensPerSecond: number | null;
  totalSeconds: number;
}

export interface ExtractResult {
  text: string;
  /** `stop` when the model ended its answer, `length` when `maxTokens` cut it, `abort` when cancelled. */
  finishReason: 'stop' | 'length' | 'abort';
  usage: ExtractUsage;
  timings: ExtractTimings;
}

export interface ExtractionEngine {
  readonly kind: EngineKind;
  /** Model id the memories will be labelled with. */
  readonly modelId: string | null;
  load(modelId: string, onProgress: LoadProgressListener, signal?: AbortSignal): Promise<void>;
  extract(prompt: string, options: ExtractOptions): Promise<ExtractResult>;
  unload(): Promise<void>;
  status(): EngineStatus;
}
