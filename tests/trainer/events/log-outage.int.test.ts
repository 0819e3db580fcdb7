import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openEventLogWriter, readEvents } from '../../../trainer/events/log.ts';
import { startEmbeddedS3 } from '../../../trainer/store/embedded-s3.ts';

it('loses no event when the embedded server stops mid-append and restarts on the same port and data dir', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'ldam-events-outage-'));
  const jobId = 'j-outage-test';
  let server = await startEmbeddedS3({ dataDir });
  const port = server.port;
  // One client across the outage, as in the trainer: it keeps retrying until its deadline.
  const store = server.createStore({ retry: { deadlineMs: 20_000, baseDelayMs: 20, maxDelayMs: 200 } });
  try {
    const log = await openEventLogWriter(store, jobId, 'trainer', { attempt: 1, flushIntervalMs: 30 });
    for (let step = 1; step <= 20; step++) {
      log.append({ kind: 'metric', epoch: 1, step, key: 'loss', value: 1 / step });
      if (step === 8) await log.flush();
      if (step === 10) await server.stop();
      await new Promise((r) => setTimeout(r, 10));
    }
    const flushed = log.flush();
    await new Promise((r) => setTimeout(r, 300));
    server = await startEmbeddedS3({ dataDir, port, credentials: server.credentials });
    await flushed;
    await log.close();

    const { events, position } = await readEvents(store, jobId);
    expect(events.map((e) => (e.kind === 'metric' ? e.step : 0))).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(position).toEqual({ trainer: 20 });
  } finally {
    store.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
