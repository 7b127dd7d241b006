import type { EngineStatus } from './types';

/**
 * What an engine that loads a model by name keeps: that name (the label memories get) and its
 * status. The replay and endpoint engines extend it; WebLLM's keeps its worker instead.
 */
export abstract class EngineState {
  protected loadedModel: string | null = null;
  protected currentStatus: EngineStatus = { state: 'idle' };

  get modelId(): string | null {
    return this.loadedModel;
  }

  status(): EngineStatus {
    return this.currentStatus;
  }
}
