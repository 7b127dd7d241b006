import { useEffect, useState } from 'react';

import { errorText } from '../../core/errorText';
import type { RunPlan, RunRequest } from '../../store/runs/runPlan';
import { appServices } from '../../store/boot/appServices';

export interface PlanResult {
  plan: RunPlan | null;
  error: string | null;
}

/**
 * The plan for a run over these conversations, made again when the picked conversations or the
 * settings change; null while it is being made or when nothing is picked.
 */
export function useRunPlan(
  conversationIds: readonly string[],
  settings: RunRequest['settings'],
): PlanResult | null {
  // The list's content, not its identity, decides whether to plan again: the conversations store
  // hands out a new array whenever any conversation changes.
  const key = JSON.stringify(conversationIds);
  const [answer, setAnswer] = useState<(PlanResult & { key: string }) | null>(null);

  useEffect(() => {
    const ids = JSON.parse(key) as string[];
    if (ids.length === 0) return;
    let cancelled = false;
    appServices()
      .runs.plan({ conversationIds: ids, settings })
      .then(
        (plan) => !cancelled && setAnswer({ key, plan, error: null }),
        (error: unknown) => !cancelled && setAnswer({ key, plan: null, error: errorText(error) }),
      );
    return () => {
      cancelled = true;
    };
  }, [key, settings]);

  // An answer for another pick is stale: show nothing until this pick's plan arrives.
  return answer?.key === key && conversationIds.length > 0 ? answer : null;
}
