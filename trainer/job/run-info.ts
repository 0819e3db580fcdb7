// runs/<jobId>/run.json: which trainer, backend and host ran the attempt (and its memory plan).
import { hostname } from 'node:os';
import type { SelectedBackend } from '../engine/index.ts';
import { jsonContentType, runInfoKey } from '../store/run-layout.ts';
import type { Store } from '../store/store.ts';

export type RunInfo = Readonly<Record<string, unknown>>;

export function runInfoOf(trainerVersion: string, backend: SelectedBackend, startedAt: Date): RunInfo {
  return {
    trainerVersion,
    backend: backend.backend,
    device: backend.device,
    startedAt: startedAt.toISOString(),
    host: hostname(),
    pid: process.pid,
    node: process.version,
  };
}

export async function writeRunInfo(store: Store, jobId: string, info: RunInfo): Promise<void> {
  await store.put(runInfoKey(jobId), `${JSON.stringify(info, null, 2)}\n`, {
    contentType: jsonContentType,
  });
}
