import { create } from 'zustand';

/** Download progress of the model files, summed over files, with an estimate of the time left. */
export interface LoadingProgress {
  loadedBytes: number;
  /** 0 until the first file's size is known. */
  totalBytes: number;
  /** From the rate so far; null until there is a rate to go by. */
  secondsLeft: number | null;
}

/**
 * Where the browser's embedding model stands. `off`: not started (it starts once there are memories
 * to embed); `declined`: the user said no to the download; `failed`: with the reason in words.
 */
export type EmbeddingsStatus =
  | { state: 'off' }
  | { state: 'declined' }
  | { state: 'loading'; progress: LoadingProgress }
  | { state: 'ready'; modelId: string; device: string }
  | { state: 'failed'; reason: string };

export interface EmbeddingsState {
  status: EmbeddingsStatus;
  /** Committed memories whose stored vector is current (this model, this text). */
  embedded: number;
  /** Committed memories still waiting for a vector. */
  waiting: number;
  /** Bumped whenever stored vectors change, so rankings can take the new ones. */
  vectorsVersion: number;
}

export const useEmbeddingsStore = create<EmbeddingsState>()(() => ({
  status: { state: 'off' },
  embedded: 0,
  waiting: 0,
  vectorsVersion: 0,
}));

/** A line for the UI: what the meaning route is doing, or why it is off. */
export function embeddingsStatusText(status: EmbeddingsStatus): string {
  switch (status.state) {
    case 'off':
      return 'The meaning model has not been loaded: it loads once there are memories.';
    case 'declined':
      return 'The meaning model’s download was declined: questions rank by words and structure only.';
    case 'loading':
      return `Loading the meaning model: ${progressText(status.progress)}.`;
    case 'ready':
      return `Meaning model ready (${status.device === 'webgpu' ? 'WebGPU' : 'WebAssembly'}).`;
    case 'failed':
      return `The meaning model could not be loaded: ${status.reason}`;
  }
}

function progressText({ loadedBytes, totalBytes, secondsLeft }: LoadingProgress): string {
  const megabytes = (bytes: number) => (bytes / 1_000_000).toFixed(1);
  if (totalBytes === 0) return 'starting';
  const percent = Math.min(100, Math.floor((loadedBytes / totalBytes) * 100));
  const left =
    secondsLeft === null
      ? ''
      : secondsLeft < 60
        ? `, about ${Math.max(1, Math.round(secondsLeft))} s left`
        : `, about ${Math.round(secondsLeft / 60)} min left`;
  return `${percent}% of ${megabytes(totalBytes)} MB${left}`;
}
