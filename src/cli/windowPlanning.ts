import type { ImportResult } from '../core/import';
import {
  loadQwen3TokenCounter,
  type TokenBudget,
  type TokenCounter,
  type WindowSettings,
} from '../core/windows';
import type { CliIo } from './command';
import { readConversations } from './readConversations';
import {
  dateOrderFrom,
  tokenBudgetFrom,
  undatedStartFrom,
  windowSettingsFrom,
} from './windowOptions';

/** How windows are planned: as `extract` and the app plan them, token budget included. */
export interface WindowPlanning {
  settings: WindowSettings;
  budget: TokenBudget;
  counter: TokenCounter;
  /** Where a message cut to fit is reported. */
  warn: (warning: string) => void;
}

/** The window options and `--speaker`, as `parseCommandArgs` gives them. */
type PlanningValues = Parameters<typeof windowSettingsFrom>[0] &
  Parameters<typeof tokenBudgetFrom>[0] &
  Parameters<typeof undatedStartFrom>[0] &
  Parameters<typeof dateOrderFrom>[0] & { speaker?: string };

/**
 * What `inspect` and `prompts` start with: the options checked (before the file is read), the
 * file's conversations imported with their stamping choices, and the tokenizer for the budget.
 */
export async function readForPlanning(
  file: string,
  values: PlanningValues,
  io: CliIo,
): Promise<{ result: ImportResult; planning: WindowPlanning }> {
  const settings = windowSettingsFrom(values);
  const budget = tokenBudgetFrom(values);
  const result = await readConversations(file, values.speaker, io, {
    undatedStart: undatedStartFrom(values),
    dateOrder: dateOrderFrom(values),
  });
  const planning: WindowPlanning = {
    settings,
    budget,
    counter: await loadQwen3TokenCounter(),
    warn: (warning) => io.note(`warning: ${warning}`),
  };
  return { result, planning };
}
