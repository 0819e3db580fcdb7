// Follows a job's Server-Sent Events, printing status changes and one line per epoch; resolves
// with the final status. The eventsource client reconnects with Last-Event-ID by itself.
import { EventSource } from 'eventsource';
import type { JobEvent } from '../../trainer/events/types.ts';
import { type ApiTarget, authHeaders } from '../client/client.ts';

const fmt = (value: number | null | undefined, digits = 4): string =>
  value === null || value === undefined ? '–' : value.toFixed(digits);

export function followJob(target: ApiTarget, jobId: string, write: (line: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const epochs = new Map<number, Record<string, number | null>>();
    let printedEpoch = 0;
    const flushEpochs = (upTo: number) => {
      const ready = [...epochs.keys()].filter((e) => e > printedEpoch && e <= upTo).sort((a, b) => a - b);
      for (const e of ready) {
        const m = epochs.get(e) ?? {};
        const top5 = m.test_top5_error === undefined ? '' : `  top-5 ${fmt(m.test_top5_error)}`;
        write(
          `epoch ${String(e).padStart(3)}  loss ${fmt(m.train_loss)}  lr ${fmt(m.lr, 5)}  test error ${fmt(m.test_top1_error)}${top5}  balanced ${fmt(m.test_balanced_error)}`,
        );
        printedEpoch = e;
      }
    };
    const source = new EventSource(`${target.url}/v1/jobs/${jobId}/events`, {
      fetch: (input, init) => {
        // init.headers carries Accept and Last-Event-ID; add the key without losing them.
        const headers = new Headers(init?.headers);
        for (const [name, value] of Object.entries(authHeaders(target))) headers.set(name, value);
        return fetch(input, { ...init, headers });
      },
    });
    source.addEventListener('status', (message) => {
      const event = JSON.parse(message.data) as Extract<JobEvent, { kind: 'status' }>;
      flushEpochs(Number.MAX_SAFE_INTEGER);
      write(
        `[${event.time}] ${event.status} (attempt ${event.attempt})${event.reason ? `: ${event.reason}` : ''}`,
      );
    });
    source.addEventListener('metric', (message) => {
      const event = JSON.parse(message.data) as Extract<JobEvent, { kind: 'metric' }>;
      if (event.key.includes('/')) return;
      const metrics = epochs.get(event.epoch) ?? {};
      metrics[event.key] = event.value;
      epochs.set(event.epoch, metrics);
      // An epoch is complete once a later one starts reporting.
      flushEpochs(event.epoch - 1);
    });
    source.addEventListener('end', (message) => {
      flushEpochs(Number.MAX_SAFE_INTEGER);
      source.close();
      resolve((JSON.parse(message.data) as { status: string }).status);
    });
    source.addEventListener('error', (error) => {
      // CLOSED = the client gave up (HTTP error, wrong content type); otherwise it reconnects.
      if (source.readyState === EventSource.CLOSED) {
        const code = (error as { code?: number }).code;
        reject(
          new Error(
            `event stream closed${code === undefined ? '' : `: HTTP ${code}`}: ${(error as { message?: string }).message ?? ''}`,
          ),
        );
      }
    });
  });
}
