import { afterEach, describe, expect, it } from 'vitest';
import { parseReport, writeReportFiles } from '../../trainer/reports/index.ts';
import { reportFileNames } from '../../trainer/store/run-layout.ts';
import type { PutOptions, Store } from '../../trainer/store/store.ts';
import { sampleReport } from '../trainer/reports/sample-report.ts';
import { makeTestApi, type TestApi, tinySpec } from './support.ts';

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** The API's store, remembering the content type each object was written with. */
function recordingContentTypes(store: Store): { store: Store; types: Map<string, string | undefined> } {
  const types = new Map<string, string | undefined>();
  const recording = Object.create(store) as Store;
  recording.put = (key: string, body: Uint8Array | string, options?: PutOptions) => {
    types.set(key, options?.contentType);
    return store.put(key, body, options);
  };
  return { store: recording, types };
}

describe('report files: one content type per format (real local-directory store)', () => {
  it('serves each report format with the content type the trainer stored it with', async () => {
    api = await makeTestApi();
    const created = await api.app.request('/v1/jobs', {
      method: 'POST',
      body: JSON.stringify(tinySpec()),
      headers: { 'Content-Type': 'application/json' },
    });
    const { id } = (await created.json()) as { id: string };
    const { store, types } = recordingContentTypes(api.store);
    const keys = await writeReportFiles(store, id, parseReport({ ...sampleReport(), jobId: id }));
    expect(keys).toEqual(
      expect.arrayContaining(Object.values(reportFileNames).map((f) => `runs/${id}/reports/${f}`)),
    );
    for (const [format, file] of [
      ['json', 'report.json'],
      ['csv', 'per-class.csv'],
      ['svg', 'per-class.svg'],
      ['md', 'report.md'],
    ] as const) {
      const response = await api.app.request(`/v1/jobs/${id}/report?format=${format}`);
      expect(response.status).toBe(200);
      const stored = types.get(`runs/${id}/reports/${file}`);
      expect(stored, format).toBeDefined();
      expect(response.headers.get('content-type'), format).toBe(stored);
    }
  });
});
