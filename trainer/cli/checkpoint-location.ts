/** Where `ldam evaluate --checkpoint` points: a job's run, one epoch directory, or a bare model directory. */
export type CheckpointLocation =
  | { readonly kind: 'job'; readonly storeRoot: string; readonly jobId: string; readonly epochDir?: string }
  | { readonly kind: 'model-dir'; readonly storeRoot: string };

/**
 * `<root>/runs/<jobId>[/checkpoints[/epoch-NNNN]]` (directory or s3://) names a job's latest or
 * a given checkpoint, with the job's spec beside it; anything else is a directory with model.json.
 */
export function parseCheckpointLocation(location: string): CheckpointLocation {
  const trimmed = location.replace(/\/+$/, '');
  const match = /^(.*?)\/?runs\/([^/]+)(?:\/checkpoints(?:\/(epoch-\d{4}))?)?$/.exec(trimmed);
  if (match === null) return { kind: 'model-dir', storeRoot: trimmed === '' ? '/' : trimmed };
  const [, root = '', jobId = '', epochDir] = match;
  const storeRoot = root === '' ? '.' : root;
  return epochDir === undefined
    ? { kind: 'job', storeRoot, jobId }
    : { kind: 'job', storeRoot, jobId, epochDir };
}
