// The flush mechanics shared by the buffered writers (event log, log shipper): flushes run one at a
// time in call order, and a background flush runs one interval after new work, retrying a failed
// one an interval later while work remains. What a flush writes is the owner's business.

export class FlushSchedule {
  #chain: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    private readonly writeBuffered: () => Promise<void>,
    private readonly intervalMs: number,
    /** Whether anything is still buffered after a failed background flush. */
    private readonly hasWork: () => boolean,
  ) {}

  get closed(): boolean {
    return this.#closed;
  }

  /** Writes what is buffered after any flush already under way; rejects with the write's error. */
  flush(): Promise<void> {
    const run = this.#chain.then(() => this.writeBuffered());
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** Asks for a background flush one interval from now (no-op if one is pending or after close). */
  schedule(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush().catch(() => {
        if (this.hasWork()) this.schedule();
      });
    }, this.intervalMs);
    // Never keeps a process alive: owners flush on close.
    this.#timer.unref();
  }

  /** Stops background flushes and writes what is buffered. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }
}
