/**
 * An abort signal that fires when nothing has happened for `idleMs`, or when the caller's own
 * signal fires. `touch()` restarts the clock each time the server sends something, so a long but
 * steadily streaming answer never times out while a stalled one does.
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
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort();
    }, this.idleMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }
}
