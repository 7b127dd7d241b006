import type { ImportFormatId } from '../conversation';
import { ImportError } from './importError';

export const BOTH_SPEAKERS = 'both';

/**
 * The speakers whose lines are "the user": the requested one (matched case-insensitively), every
 * speaker for `'both'`, or the default. An unknown name is the user's mistake, so it fails the
 * import with the names that would work.
 */
export function chooseUserSpeakers(
  speakers: readonly string[],
  requested: string | undefined,
  fallback: string,
  sourceName: string,
  format: ImportFormatId,
): string[] {
  if (requested === undefined || requested.trim() === '') return [fallback];
  const wanted = requested.trim().toLowerCase();
  if (wanted === BOTH_SPEAKERS) return [...speakers];
  const found = speakers.find((speaker) => speaker.toLowerCase() === wanted);
  if (found !== undefined) return [found];
  throw new ImportError(
    sourceName,
    [format],
    `speaker "${requested}" is not in this conversation; choose one of ${speakers.join(', ')} or "both"`,
  );
}
