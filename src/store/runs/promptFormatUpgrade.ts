import { promptFormatVersion } from '../../core/prompt';
import type { RunRecord, WindowRecord } from '../db/records';

/** Window statuses that are not sent to the model again when a run resumes. */
export const finishedWindowStatuses: ReadonlySet<WindowRecord['status']> = new Set([
  'done',
  'failed',
  'incomplete',
]);

const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

/**
 * A run planned with an earlier prompt form continues in today's form: its finished windows keep
 * their memories, its unfinished ones are sent in the current form, and the run says so, so that
 * two prompt forms are never mixed silently. Null when the run is already in today's form.
 */
export function adoptCurrentPromptFormat(
  run: RunRecord,
  windows: WindowRecord[],
): RunRecord | null {
  const planned = run.settings.promptFormat ?? 1;
  if (planned === promptFormatVersion) return null;
  const unfinished = windows.filter((window) => !finishedWindowStatuses.has(window.status)).length;
  const finished = windows.length - unfinished;
  const notice =
    `Planned with prompt format ${planned}; its ${plural(unfinished, 'unfinished window')} ` +
    `restarted with format ${promptFormatVersion} (the overlap rule with one empty line above and ` +
    `below, as the reference extractor sends it); ${plural(finished, 'finished window')} kept ` +
    `${finished === 1 ? 'its' : 'their'} memories.`;
  return {
    ...run,
    settings: { ...run.settings, promptFormat: promptFormatVersion },
    notices: [...(run.notices ?? []), notice],
  };
}
