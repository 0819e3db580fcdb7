// A job's logs as text: every object under runs/<id>/logs/, in key order (the trainer's and the
// runner's shipped stdout/stderr chunks).
import { runKey } from '../../trainer/store/keys.ts';
import type { Store } from '../../trainer/store/store.ts';

export async function readJobLogText(
  store: Store,
  jobId: string,
  maxBytes = 4 * 1024 * 1024,
): Promise<string> {
  const objects = await store.list(`${runKey(jobId, 'logs')}/`);
  const parts: Buffer[] = [];
  let total = 0;
  // Newest last; keep the tail when the logs are longer than maxBytes.
  for (const object of [...objects].reverse()) {
    if (total >= maxBytes) break;
    const bytes = Buffer.from(await store.get(object.key));
    parts.unshift(bytes);
    total += bytes.length;
  }
  const text = Buffer.concat(parts).toString('utf8');
  return text.length > maxBytes ? text.slice(-maxBytes) : text;
}
