import type { Conversation, Role } from '../conversation';
import type { LocalTime } from '../time/localTime';
import { localTimeFromInstant } from '../time/localTime';
import type { ImportOptions } from './types';

/** Design §2: within a session dated only once, user messages are half a second apart. */
export const SESSION_STEP_MS = 500;

/**
 * Stamps one session that has a single start time: the k-th user message gets
 * start + 0.5 s × (k − 1); any other message gets the time of the latest user message before it
 * (the start when none), so the order of the session is also the order of its times.
 */
export function stampSession(roles: readonly Role[], start: LocalTime): LocalTime[] {
  let userCount = 0;
  let latest = start;
  return roles.map((role) => {
    if (role !== 'user') return latest;
    latest = start + SESSION_STEP_MS * userCount;
    userCount += 1;
    return latest;
  });
}

/**
 * The date assumed for a source without times: the one the user gave, else the import time
 * (whole seconds, so prompts do not carry meaningless milliseconds). Core reads no clock: the
 * caller passes `now` (the app its import time, the CLI one per run, kept for `--resume`), so the
 * same input and options always give the same prompts.
 */
export function assumedDate(
  options: ImportOptions,
): NonNullable<Conversation['assumedTimestamps']> {
  if (options.fallbackDate !== undefined)
    return { date: options.fallbackDate, reason: 'user-given' };
  if (options.now === undefined) {
    throw new Error(
      'this source has messages without times: pass ImportOptions.now (the import time) or fallbackDate.',
    );
  }
  return { date: Math.floor(options.now / 1000) * 1000, reason: 'import-time' };
}

/** A zoned instant (ISO text with `Z`/offset, or epoch ms) as the user's wall-clock time. */
export function localTimeFromIsoInstant(text: string, timeZone?: string): LocalTime | null {
  const epochMs = Date.parse(text);
  return Number.isNaN(epochMs) ? null : localTimeFromInstant(epochMs, timeZone);
}

/**
 * Stamps messages that have no time of their own from the assumed date, with the session rule,
 * so their order survives; `assumedTimestamps` tells whether it was needed.
 */
export function createAssumedStamper(options: ImportOptions) {
  // Worked out on the first stamp: a source whose messages all have times needs no date.
  let assumed: NonNullable<Conversation['assumedTimestamps']> | undefined;
  let userCount = 0;
  let used = false;
  return {
    stamp(role: Role): LocalTime {
      assumed ??= assumedDate(options);
      used = true;
      if (role !== 'user') return assumed.date + SESSION_STEP_MS * Math.max(0, userCount - 1);
      userCount += 1;
      return assumed.date + SESSION_STEP_MS * (userCount - 1);
    },
    /** The value for `Conversation.assumedTimestamps`: set only when some message needed it. */
    get assumedTimestamps() {
      return used ? assumed : undefined;
    },
  };
}
