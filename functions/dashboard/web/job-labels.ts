// How a job is named in tables and legends: its method from the loss and the rebalancing rule.
import type { paths } from '../../client/client.ts';

export type JobView = paths['/v1/jobs/{id}']['get']['responses'][200]['content']['application/json'];

const rules: Record<string, string> = { reweight: 'RW', resample: 'RS', drw: 'DRW', drs: 'DRS' };
const losses: Record<string, string> = { ce: 'ERM', focal: 'Focal', ldam: 'LDAM', 'logit-adjusted': 'LA' };

export function methodOf(spec: JobView['spec']): string {
  const loss = losses[spec.loss?.type ?? 'ce'] ?? spec.loss?.type ?? 'ERM';
  const rule = rules[spec.rebalance?.rule ?? 'none'];
  return rule === undefined ? loss : `${loss}-${rule}`;
}

export function jobLabel(job: JobView): string {
  return `${job.name ?? job.id} (${methodOf(job.spec)})`;
}

export function runSeconds(job: JobView, now = Date.now()): number | undefined {
  const started = job.transitions.find((t) => t.status === 'running')?.time;
  if (started === undefined) return undefined;
  const terminal = ['succeeded', 'failed', 'cancelled', 'timed_out'].includes(job.status);
  return ((terminal ? Date.parse(job.updatedAt) : now) - Date.parse(started)) / 1000;
}
