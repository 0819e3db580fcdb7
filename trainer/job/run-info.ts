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
    ...computeOf(backend),
    startedAt: startedAt.toISOString(),
    host: hostname(),
    pid: process.pid,
    node: process.version,
  };
}

/** Threads and ISA where the backend reports them (onednn), for run.json and the backend note. */
export function computeOf(backend: SelectedBackend): { threads?: number; isa?: string } {
  return {
    ...(backend.threads === undefined ? {} : { threads: backend.threads }),
    ...(backend.isa === undefined ? {} : { isa: backend.isa }),
  };
}

export async function writeRunInfo(store: Store, jobId: string, info: RunInfo): Promise<void> {
  await store.put(runInfoKey(jobId), `${JSON.stringify(info, null, 2)}\n`, {
    contentType: jsonContentType,
  });
}
