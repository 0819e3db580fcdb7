import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { LogShipper, readLogText } from '../../../trainer/logs/index.ts';
import { startEmbeddedS3 } from '../../../trainer/store/embedded-s3.ts';

it("ships a real child process's stdout and stderr to the embedded S3 server", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'ldam-logs-int-'));
  const server = await startEmbeddedS3({ dataDir });
  const store = server.createStore();
  try {
    const shipper = await LogShipper.open(store, 'j-child-logs', { intervalMs: 50 });
    const script = [
      "for (let i = 1; i <= 50; i++) console.log('step ' + i);",
      "console.error('warning: done');",
    ].join('\n');
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const shipped = Promise.all([
      shipper.attach('stdout', child.stdout),
      shipper.attach('stderr', child.stderr),
    ]);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    await shipped;
    await shipper.close();
    expect(code).toBe(0);
    const expected = Array.from({ length: 50 }, (_, i) => `step ${i + 1}\n`).join('');
    expect(await readLogText(store, 'j-child-logs', 'stdout')).toBe(expected);
    expect(await readLogText(store, 'j-child-logs', 'stderr')).toBe('warning: done\n');
  } finally {
    store.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
