/** What must match for `--resume` to continue a run instead of mixing two different ones. */
export interface RunIdentity {
  input: { name: string; sha256: string };
  model: string;
  speaker: string | null;
  windows: { size: number; overlap: number };
  budget: { contextSize: number; answerReserve: number };
  variant: string;
  /** The prompt's byte form (`promptFormatVersion`); ledgers written before it existed hold 1. */
  promptFormat: number;
  /** `--undated-start` as naive ISO text, or null (ledgers written before it existed: absent). */
  undatedStart?: string | null;
  /** `--date-order` for transcripts' numeric dates, or null for the automatic rule. */
  dateOrder?: string | null;
}

/** A ledger from before the prompt format was recorded was planned with format 1. */
export const savedPromptFormat = (saved: RunIdentity): number =>
  typeof saved.promptFormat === 'number' ? saved.promptFormat : 1;

/** Why a saved run cannot be resumed as `current`, or null when it can. */
export function describeMismatch(saved: RunIdentity, current: RunIdentity): string | null {
  if (saved.input.sha256 !== current.input.sha256) {
    return `the input file changed since that run (was ${saved.input.name})`;
  }
  if (saved.model !== current.model) return `that run used model "${saved.model}"`;
  if (saved.speaker !== current.speaker)
    return `that run used --speaker ${saved.speaker ?? '(default)'}`;
  if (JSON.stringify(saved.windows) !== JSON.stringify(current.windows)) {
    return `that run used --window-size ${saved.windows.size} --overlap ${saved.windows.overlap}`;
  }
  if (JSON.stringify(saved.budget) !== JSON.stringify(current.budget)) {
    return `that run used --context-size ${saved.budget.contextSize} --answer-reserve ${saved.budget.answerReserve}`;
  }
  if (saved.variant !== current.variant) return `that run used --prompt-variant ${saved.variant}`;
  if ((saved.undatedStart ?? null) !== (current.undatedStart ?? null)) {
    return saved.undatedStart
      ? `that run used --undated-start ${saved.undatedStart}`
      : 'that run was stamped from its own start time, without --undated-start';
  }
  if ((saved.dateOrder ?? null) !== (current.dateOrder ?? null)) {
    return saved.dateOrder
      ? `that run used --date-order ${saved.dateOrder}`
      : 'that run read numeric dates by the automatic rule, without --date-order';
  }
  // A different prompt format is not a mismatch: finished windows keep their memories and the
  // unfinished ones are sent in the current form (see `RunFiles.notices`).
  return null;
}
