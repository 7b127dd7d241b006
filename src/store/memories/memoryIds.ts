/**
 * A memory's id is decided by where it came from: its run, window and position in the window's
 * normalized answer. Committing the same window again (a resume after a crash, a retry) therefore
 * overwrites its memories instead of adding copies.
 */
export const memoryId = (runId: string, windowIndex: number, position: number): string =>
  `${runId}:${windowIndex}:${position}`;

/** Provisional (still streaming) memories get ids that can never collide with committed ones. */
export const provisionalMemoryId = (runId: string, windowIndex: number, position: number): string =>
  `${runId}:${windowIndex}:p${position}`;
