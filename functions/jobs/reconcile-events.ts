// Which jobs an EventBridge event asks the Lambda to reconcile. Lambda has no timer: without this,
// a job advanced (started, preempted, timed out, finished) only when someone read it.
import { batchJobIdParameter } from '../../trainer/process/contract.ts';

/** What to reconcile: the jobs named by a Batch state change, or every unfinished job (the schedule). */
export type ReconcileTarget =
  | { readonly kind: 'jobs'; readonly jobIds: readonly string[] }
  | { readonly kind: 'unfinished' };

type BatchStateChange = {
  readonly source?: unknown;
  readonly 'detail-type'?: unknown;
  readonly detail?: {
    readonly parameters?: Record<string, unknown>;
    readonly tags?: Record<string, unknown>;
  };
};

/** EventBridge's "Batch Job State Change" → the ldam job id (the job definition's jobId parameter, else the tag). */
export function reconcileTargetOf(event: unknown): ReconcileTarget | undefined {
  const e = (event ?? {}) as BatchStateChange;
  if (e.source === 'aws.events' && e['detail-type'] === 'Scheduled Event') return { kind: 'unfinished' };
  if (e.source !== 'aws.batch' || e['detail-type'] !== 'Batch Job State Change') return undefined;
  const id = e.detail?.parameters?.[batchJobIdParameter] ?? e.detail?.tags?.['ldam:job'];
  return typeof id === 'string' && id !== '' ? { kind: 'jobs', jobIds: [id] } : undefined;
}
