import type { BenchmarkService } from './service.ts';

// Advances running benchmarks on a timer in a long-lived server, so cells are submitted as slots
// free up even when nobody polls. Serverless entry points skip it: every GET advances too.

export class BenchmarkDriver {
  private readonly active = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(
    private readonly service: BenchmarkService,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown, benchmarkId: string) => void,
  ) {}

  /** Picks up benchmarks left running by an earlier process, then ticks every interval. */
  async start(): Promise<void> {
    for (const id of await this.service.activeIds()) this.active.add(id);
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  watch(id: string): void {
    this.active.add(id);
  }

  /** One pass over the running benchmarks; finished ones are dropped. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const id of [...this.active]) {
        try {
          const view = await this.service.status(id);
          if (view.progress.status !== 'running') this.active.delete(id);
        } catch (error) {
          this.onError(error, id);
        }
      }
    } finally {
      this.ticking = false;
    }
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
