import type { MemoryRecord } from '../../store/db/records';
import { useRunsStore } from '../../store/runs/runsStore';

/** The model's whole answer for the window a memory came from, behind a disclosure. */
export function RawAnswer({ memory }: { memory: MemoryRecord }) {
  const window = useRunsStore((state) =>
    state.windowsByRun[memory.runId]?.find((candidate) => candidate.index === memory.windowIndex),
  );
  if (!window?.rawAnswer) return <p className="muted">The window&apos;s answer is not stored.</p>;
  return (
    <details>
      <summary>
        Window {window.index + 1} answer ({window.rawAnswer.length.toLocaleString()} characters)
      </summary>
      <pre className="raw-answer" tabIndex={0}>
        {window.rawAnswer}
      </pre>
    </details>
  );
}
