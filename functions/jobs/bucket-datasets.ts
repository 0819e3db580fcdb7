// Named datasets on runners whose trainer runs in a container (docker, aws-batch): the image has no
// Debian dataset package and no data directory, so a named dataset without a source is read from
// the bucket's datasets/<name>/ (`ldam datasets upload`). A job whose data is not there is refused
// at submit, before a GPU instance boots only to exit 3.
import type { ExperimentSpec } from '../../trainer/spec/index.ts';
import { datasetManifestName } from '../../trainer/store/dataset-upload.ts';
import { datasetKey } from '../../trainer/store/keys.ts';
import type { Store } from '../../trainer/store/store.ts';
import type { RunnerKind } from '../config.ts';
import { InvalidInput } from '../errors.ts';

/** Datasets the trainer knows by name, and so can take from the bucket. */
export const bucketDatasetNames: ReadonlySet<string> = new Set([
  'fashion-mnist',
  'mnist',
  'cifar10',
  'cifar100',
]);

/** Runners whose trainer cannot see this machine's files. */
export const containerRunners: ReadonlySet<RunnerKind> = new Set(['docker', 'aws-batch']);

export interface BucketDatasetContext {
  readonly runnerKind: RunnerKind;
  readonly store: Store;
  /** The project bucket the trainer reads (S3_BUCKET). */
  readonly bucket: string;
}

/** `s3://<bucket>/datasets/<name>/`: where `ldam datasets upload <dir> <name>` puts a dataset. */
export function bucketDatasetSource(bucket: string, name: string): string {
  return `s3://${bucket}/${datasetKey(name)}`;
}

/**
 * The spec with `dataset.source` defaulted to the bucket's copy (container runners, named dataset,
 * no source given); InvalidInput naming the field and the upload command when that copy has no manifest.
 */
export async function withBucketDataset(
  spec: ExperimentSpec,
  context: BucketDatasetContext,
): Promise<ExperimentSpec> {
  const { name, source } = spec.dataset;
  if (source !== undefined || !containerRunners.has(context.runnerKind) || !bucketDatasetNames.has(name))
    return spec;
  const location = bucketDatasetSource(context.bucket, name);
  const manifest = await context.store.head(datasetKey(name, datasetManifestName));
  if (manifest === undefined)
    throw new InvalidInput([
      {
        path: 'dataset.source',
        rule:
          `not given, and ${location} has no ${datasetManifestName}: on the ${context.runnerKind} runner a ` +
          `'${name}' job reads the bucket's copy; upload it first with \`S3_BUCKET=${context.bucket} ldam datasets upload <dir> ${name}\` ` +
          '(docs/DEPLOY.md), or give dataset.source',
      },
    ]);
  return { ...spec, dataset: { ...spec.dataset, source: location } };
}
