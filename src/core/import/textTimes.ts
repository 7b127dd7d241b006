import type { Role } from '../conversation';
import type { LocalTime } from '../time/localTime';
import { SESSION_STEP_MS } from './stamping';

/**
 * Times for messages of a pasted text where only some carry one. A message with its own time
 * keeps it and starts a "session"; a message without one follows the session rule from the last
 * time before it (user messages half a second apart, others at the latest user message's time).
 * Messages before the first time are placed half a second apart just before it; with no time at
 * all, the assumed date starts the one session.
 */
export function fillTimes(
  roles: readonly Role[],
  explicit: readonly (LocalTime | null)[],
  assumedStart: LocalTime,
): { times: LocalTime[]; usedAssumed: boolean } {
  const firstExplicit = explicit.findIndex((time) => time !== null);
  let anchor: LocalTime;
  if (firstExplicit === -1) {
    anchor = assumedStart;
  } else {
    const leadingUsers = roles.slice(0, firstExplicit).filter((role) => role === 'user').length;
    anchor = explicit[firstExplicit]! - SESSION_STEP_MS * leadingUsers;
  }
  let usersSinceAnchor = 0;
  let latest = anchor;
  const times = roles.map((role, index) => {
    const own = explicit[index];
    if (own != null) {
      anchor = own;
      latest = own;
      usersSinceAnchor = role === 'user' ? 1 : 0;
      return own;
    }
    if (role !== 'user') return latest;
    latest = anchor + SESSION_STEP_MS * usersSinceAnchor;
    usersSinceAnchor += 1;
    return latest;
  });
  return { times, usedAssumed: firstExplicit === -1 };
}
