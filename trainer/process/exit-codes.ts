// The trainer process contract: runners and the state reducer map these codes to job states.
export const ExitCode = {
  /** Training finished and its report is stored. */
  ok: 0,
  /** Anything else (bug, storage gone past its deadline, …). */
  failure: 1,
  /** The spec failed validation. */
  invalidSpec: 2,
  /** The dataset is missing, corrupt, outside the allowed roots, or leaves a class empty. */
  dataError: 3,
  /** The loss became NaN or infinite. */
  diverged: 4,
  /** Asked to train on the GPU (tensorflow-gpu) but no usable GPU: device, driver, CUDA library or libtensorflow's placement. */
  gpuUnavailable: 5,
  /** Interrupted (SIGTERM) after writing a checkpoint: run again to resume (EX_TEMPFAIL). */
  interrupted: 75,
} as const;
/** Exit code of a cancelled run (128 + SIGINT), as shells report it. */
export const cancelledExitCode = 130;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Seconds between SIGTERM and the forced exit; AWS Batch sends SIGKILL 30 s after SIGTERM. */
export const defaultGraceSeconds = 25;
