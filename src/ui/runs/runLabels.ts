import type { WindowRecord } from '../../store/db/records';
import { formatCount, plural } from '../common/format';

/** A window whose one long message was cut to fit the model's context. */
export const cutLabel = (cut: NonNullable<WindowRecord['cut']>) =>
  `Message cut to fit the context: kept ${formatCount(cut.keptTokens)} of its ${formatCount(cut.contentTokens)} tokens (head, middle and tail)`;

/** Memories whose `time` is not a date, on a run card and on a window. */
export const timeWarningLabel = (count: number) =>
  `${plural(count, 'memory', 'memories')} with a time that is not a date`;
