import type {
  EngineKind,
  EngineStatus,
  ExtractionEngine,
  ExtractOptions,
  ExtractResult,
  LoadProgressListener,
} from './types';

/**
 * What an engine that loads a model by name keeps: that name (the label memories get) and its
 * status, which unloading clears. The replay and endpoint engines extend it; WebLLM's keeps its
 * worker instead.
 */
export abstract class EngineState implements ExtractionEngine {
  abstract readonly kind: EngineKind;
  protected loadedModel: string | null = null;
  protected currentStatus: EngineStatus = { state: 'idle' };

  abstract load(
    modelId: string,
    onProgress: LoadProgressListener,
    signal?: AbortSignal,
  ): Promise<void>;
  abstract extract(prompt: string, options: ExtractOptions): Promise<ExtractResult>;

  get modelId(): string | null {
    return this.loadedModel;
  }

  status(): EngineStatus {
    return this.currentStatus;
  }

  async unload(): Promise<void> {
    this.loadedModel = null;
    this.currentStatus = { state: 'idle' };
  }
}
