import { DataError } from './errors.ts';

/** Widens label bytes to class indices, rejecting any label that is not a class of the dataset. */
export function toClassLabels(labels: ArrayLike<number>, numClasses: number, fileName: string): Int32Array {
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] ?? 0;
    if (label >= numClasses)
      throw new DataError(fileName, `label ${label} at record ${i} is not below numClasses ${numClasses}`);
    out[i] = label;
  }
  return out;
}
