// What a cell cost: wall time × devices held. A GPU job holds its requested GPUs; anything else
// counts as one device (the container), so CPU and GPU runs compare on one axis.

export interface CellCost {
  readonly wallSeconds: number;
  /** tfjs backend the trainer ran on (tensorflow-gpu, tensorflow, wasm, cpu). */
  readonly backend: string;
  /** Device description from the run record, e.g. 'gpu' or 'cpu'. */
  readonly device: string;
  readonly devices: number;
  readonly deviceSeconds: number;
}

/** Whether a backend/device pair ran on a GPU. */
export function isGpuRun(backend: string, device: string): boolean {
  return backend === 'tensorflow-gpu' || /gpu|cuda/i.test(device);
}

export function cellCost(input: {
  readonly wallSeconds: number;
  readonly backend: string;
  readonly device: string;
  readonly gpus: number;
}): CellCost {
  const devices = isGpuRun(input.backend, input.device) ? Math.max(1, input.gpus) : 1;
  return {
    wallSeconds: input.wallSeconds,
    backend: input.backend,
    device: input.device,
    devices,
    deviceSeconds: input.wallSeconds * devices,
  };
}

/** Price of device-seconds at a price per device-hour. */
export function priceOf(deviceSeconds: number, pricePerDeviceHour: number): number {
  return (deviceSeconds / 3600) * pricePerDeviceHour;
}

/** LDAM_PRICE_PER_DEVICE_HOUR as a number, or undefined when unset or not a positive number. */
export function parsePricePerDeviceHour(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const price = Number(value);
  return Number.isFinite(price) && price >= 0 ? price : undefined;
}
