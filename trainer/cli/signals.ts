/** Why the trainer was asked to stop: preemption (checkpoint, exit 75) or cancellation (exit 130). */
export type StopReason = 'preempted' | 'cancelled';

export interface StopSignals {
  /** Aborts when SIGTERM or SIGINT arrives; the loop stops after its current step. */
  readonly signal: AbortSignal;
  /** The first stop request, if any. */
  reason(): StopReason | undefined;
  /** Resolves when a stop is requested (for deadlines). */
  readonly requested: Promise<StopReason>;
  dispose(): void;
}

interface SignalSource {
  on(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  off(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

/** SIGTERM = preemption (AWS Batch, Docker stop), SIGINT = cancel (Ctrl-C). A second signal changes nothing. */
export function listenForStop(source: SignalSource = process): StopSignals {
  const controller = new AbortController();
  let reason: StopReason | undefined;
  let resolveRequested: (r: StopReason) => void = () => undefined;
  const requested = new Promise<StopReason>((resolve) => {
    resolveRequested = resolve;
  });
  const stop = (r: StopReason) => () => {
    if (reason !== undefined) return;
    reason = r;
    controller.abort(r);
    resolveRequested(r);
  };
  const onTerm = stop('preempted');
  const onInt = stop('cancelled');
  source.on('SIGTERM', onTerm);
  source.on('SIGINT', onInt);
  return {
    signal: controller.signal,
    reason: () => reason,
    requested,
    dispose: () => {
      source.off('SIGTERM', onTerm);
      source.off('SIGINT', onInt);
    },
  };
}
