/**
 * The longest delay `setTimeout` keeps (2^31 − 1 ms, 24.8 days): browsers and Node run a longer one
 * after 1 ms, so a huge timeout would make every request time out at once.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * An abort signal that fires when nothing has happened for `idleMs`, or when the caller's own
 * signal fires. `touch()` restarts the clock each time the server sends something that counts
 * (response headers, an SSE event; not a keep-alive comment), so a long but steadily streaming
 * answer never times out while a stalled one does. A timeout past {@link MAX_TIMER_MS} waits that
 * long.
 */
export class IdleDeadline {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private expired = false;
  private readonly onCallerAbort = () => this.controller.abort();

  constructor(
    readonly idleMs: number,
    private readonly callerSignal?: AbortSignal,
  ) {
    if (callerSignal?.aborted) this.controller.abort();
    callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True when the idle time ran out (as opposed to the caller cancelling). */
  get timedOut(): boolean {
    return this.expired;
  }

  get cancelledByCaller(): boolean {
    return this.callerSignal?.aborted === true;
  }

  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.expired = true;
        this.controller.abort();
      },
      Math.min(this.idleMs, MAX_TIMER_MS),
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }
}
