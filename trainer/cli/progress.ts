import type { StepProgress } from '../loop/index.ts';

/** Where the trainer reports progress: a bar on a terminal, JSON lines otherwise. */
export interface ProgressOutput {
  /** Start, end and per-epoch records (JSON lines off a terminal; plain lines on one). */
  record(kind: string, fields: Record<string, unknown>): void;
  step(progress: StepProgress): void;
  /** Clears a partly drawn bar before other output. */
  finish(): void;
}

interface Writable {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${two(m)}:${two(s % 60)}`;
}

/** One line of the bar: epoch, batch, a filled bar, loss and ETA over the whole run. */
export function renderBar(p: StepProgress, etaSeconds: number, width: number): string {
  const fraction = p.batches === 0 ? 1 : p.batch / p.batches;
  const label = `epoch ${p.epoch}/${p.epochs} batch ${p.batch}/${p.batches}`;
  const tail = ` loss ${p.loss === null ? '—' : p.loss.toFixed(4)} eta ${formatDuration(etaSeconds)}`;
  const barWidth = Math.max(10, Math.min(40, width - label.length - tail.length - 4));
  const filled = Math.round(fraction * barWidth);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]${tail}`;
}

/** A bar redrawn at most every 100 ms on a TTY; JSON lines (one per record, no steps) elsewhere. */
export function createProgressOutput(out: Writable, now: () => number = Date.now): ProgressOutput {
  if (!out.isTTY) {
    return {
      record: (kind, fields) =>
        out.write(`${JSON.stringify({ kind, time: new Date(now()).toISOString(), ...fields })}\n`),
      step: () => undefined,
      finish: () => undefined,
    };
  }
  const started = now();
  let firstStep: number | undefined;
  let lastDraw = 0;
  let drawn = false;
  const clear = () => {
    if (drawn) out.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    record(kind, fields) {
      clear();
      const parts = Object.entries(fields).map(
        ([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(4)) : JSON.stringify(v)}`,
      );
      out.write(`${kind} ${parts.join(' ')}\n`);
    },
    step(p) {
      const t = now();
      firstStep ??= p.step - 1;
      if (t - lastDraw < 100 && p.batch !== p.batches) return;
      lastDraw = t;
      const totalSteps = p.epochs * p.batches;
      const doneSteps = p.step - firstStep;
      const rate = doneSteps / Math.max((t - started) / 1000, 1e-3);
      const eta = (totalSteps - p.step) / rate;
      out.write(`\r\x1b[2K${renderBar(p, eta, out.columns ?? 80)}`);
      drawn = true;
    },
    finish: clear,
  };
}
