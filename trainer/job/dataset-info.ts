// What a job records about its data beyond the event note: the loader choice (run.json) and, for a
// dataset with its own class ids (iNaturalist's category ids), runs/<jobId>/classes.json mapping
// each class index to the source's id and name, so predictions can be read back in its ids.
import type { LoadedDataset } from '../data/index.ts';
import { runKey } from '../store/index.ts';
import type { Store } from '../store/store.ts';
import type { RunInfo } from './run-info.ts';

export const classMapName = 'classes.json';

export async function recordDatasetInfo(
  store: Store,
  jobId: string,
  dataset: LoadedDataset,
): Promise<RunInfo> {
  if (dataset.sourceClassIds !== undefined) {
    const classes = dataset.sourceClassIds.map((id, index) => ({
      index,
      id,
      name: dataset.classNames[index],
    }));
    await store.put(runKey(jobId, classMapName), `${JSON.stringify({ version: 1, classes }, null, 2)}\n`, {
      contentType: 'application/json',
    });
  }
  if (dataset.loader === undefined) return {};
  return {
    dataset: { loader: dataset.loader.mode, loaderReason: dataset.loader.reason, location: dataset.location },
  };
}
