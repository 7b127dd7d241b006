import type { ExtractionEngine, ExtractResult } from '../../engine/types';

export interface SpeedRecordingHooks {
  /** Told each finished extraction (the status bar shows its speeds). */
  onResult: (result: ExtractResult) => void;
  /** What a failed extraction throws instead of its own error (plain words for the run). */
  describeError: (error: unknown) => unknown;
}

/** The engine runs use: the loaded engine, with each extraction's speeds reported. */
export function recordingSpeeds(
  engine: ExtractionEngine,
  hooks: SpeedRecordingHooks,
): ExtractionEngine {
  return {
    get kind() {
      return engine.kind;
    },
    get modelId() {
      return engine.modelId;
    },
    load: (modelId, onProgress, signal) => engine.load(modelId, onProgress, signal),
    extract: async (prompt, options) => {
      try {
        const result = await engine.extract(prompt, options);
        hooks.onResult(result);
        return result;
      } catch (error) {
        throw hooks.describeError(error);
      }
    },
    unload: () => engine.unload(),
    status: () => engine.status(),
  };
}
