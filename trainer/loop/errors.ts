/** The training loss became NaN or infinite (exit code 4). */
export class DivergedError extends Error {
  readonly epoch: number;
  readonly step: number;
  readonly loss: number;
  constructor(epoch: number, step: number, loss: number) {
    super(`training diverged: loss ${loss} at epoch ${epoch}, step ${step}`);
    this.name = 'DivergedError';
    this.epoch = epoch;
    this.step = step;
    this.loss = loss;
  }
}
