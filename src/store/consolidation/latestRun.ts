/**
 * Runs `work` so that the latest start wins: a new start aborts the run in progress (its signal)
 * and begins once that one has settled, so two runs never write at once. Every start's promise
 * resolves when the latest run is done, so whoever waits sees the newest result. `work` must not
 * throw.
 */
export function latestRun(work: (signal: AbortSignal) => Promise<void>): () => Promise<void> {
  let latest: { controller: AbortController; done: Promise<void> } | null = null;

  async function untilLatestDone(): Promise<void> {
    let seen = latest;
    while (seen) {
      await seen.done;
      seen = latest === seen ? null : latest;
    }
  }

  return () => {
    const previous = latest;
    previous?.controller.abort();
    const controller = new AbortController();
    // At once when none runs (its first steps, such as saying so in a store, happen now).
    const started = previous
      ? // Replaced before it began: nothing to do.
        previous.done.then(() => (controller.signal.aborted ? undefined : work(controller.signal)))
      : work(controller.signal);
    const done = started.finally(() => {
      if (latest?.controller === controller) latest = null;
    });
    latest = { controller, done };
    return untilLatestDone();
  };
}
