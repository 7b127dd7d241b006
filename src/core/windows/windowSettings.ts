/** How a conversation's user messages are cut into prompts. */
export interface WindowSettings {
  /** User messages per window, overlap included. */
  size: number;
  /** Messages a window repeats from the end of the previous one, as context only. */
  overlap: number;
}

/** The reference pipeline's windows: 15 user messages, the first 3 repeated from the previous one. */
export const defaultWindowSettings: WindowSettings = { size: 15, overlap: 3 };

/** Throws a RangeError that says what is wrong when the settings cannot make progress. */
export function validateWindowSettings(settings: WindowSettings): void {
  const { size, overlap } = settings;
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`Window size must be a whole number of at least 1, got ${size}.`);
  }
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= size) {
    throw new RangeError(
      `Window overlap must be a whole number from 0 to ${size - 1} (less than the window size ${size}), got ${overlap}.`,
    );
  }
}
