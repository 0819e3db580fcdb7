/**
 * The dataset is missing, corrupt, outside the allowed roots, or leaves a class empty. The trainer
 * maps it to exit code 3 (`ExitCode.dataError`); the message names the file or field and the problem.
 */
export class DataError extends Error {
  /** The file, directory or spec field the problem is about (e.g. `train-images-idx3-ubyte.gz`). */
  readonly subject: string;
  constructor(subject: string, problem: string, options?: { cause?: unknown }) {
    super(`${subject}: ${problem}`, options);
    this.name = 'DataError';
    this.subject = subject;
  }
}
