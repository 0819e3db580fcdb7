/** A class with no training images: its margin, weight or prior would be infinite. */
export class EmptyClassError extends Error {
  readonly classIndex: number;
  constructor(classIndex: number, what: string) {
    super(`class ${classIndex} has no training images, so its ${what} is undefined`);
    this.name = 'EmptyClassError';
    this.classIndex = classIndex;
  }
}

/** Throws unless every count is a positive integer. */
export function assertPositiveCounts(classCounts: readonly number[], what: string): void {
  if (classCounts.length === 0) throw new RangeError(`${what} needs at least one class`);
  classCounts.forEach((n, j) => {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`class ${j} has an invalid count: ${n}`);
    if (n === 0) throw new EmptyClassError(j, what);
  });
}
