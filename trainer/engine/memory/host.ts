import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

/** What a training step may use of the host's memory on native CPU backends: a quarter stays free. */
export const hostBudgetFraction = 0.75;

/**
 * The budget from the host's memory and the cgroup (v2 `memory.max`, "max" = none) limit: the
 * onednn backend keeps tensors in ordinary process memory, so there is no 4 GiB heap, but a
 * container limit ends the process (OOM kill) as surely as the wasm heap's `Aborted()`.
 */
export function hostBudgetBytes(totalBytes: number, cgroupLimit: string | undefined): number {
  const limit = Number(cgroupLimit?.trim());
  const usable = Number.isFinite(limit) && limit > 0 ? Math.min(totalBytes, limit) : totalBytes;
  return Math.floor(usable * hostBudgetFraction);
}

/** `hostBudgetBytes` for this process's host and cgroup. */
export function currentHostBudgetBytes(): number {
  let cgroup: string | undefined;
  try {
    cgroup = readFileSync('/sys/fs/cgroup/memory.max', 'utf8');
  } catch {
    cgroup = undefined;
  }
  return hostBudgetBytes(totalmem(), cgroup);
}
