import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { loadLatestCheckpoint, storeIOHandler } from '../checkpoint/index.ts';
import { DataError, loadDataset, parseVocabulary, type Vocabulary } from '../data/index.ts';
import { selectBackend } from '../engine/index.ts';
import { evaluateSplit } from '../loop/index.ts';
import { EvaluationAccumulator } from '../metrics/index.ts';
import {
  type DatasetSpec,
  isTextDataset,
  parseExperimentSpec,
  parseExperimentSpecJson,
} from '../spec/index.ts';
import { runKey, S3Store, s3OptionsFromEnv, storeFromUrl } from '../store/index.ts';
import type { Store } from '../store/store.ts';
import { getIfPresent } from '../store/write-once.ts';
import { parseOptions, UsageError } from './args.ts';
import { type CheckpointLocation, parseCheckpointLocation } from './checkpoint-location.ts';
import { perClassTable } from './evaluate-table.ts';
import { describeFailure, exitCodeOf } from './exit-status.ts';

const usage = `usage: ldam evaluate --checkpoint <dir|s3://…> [--dataset <dataset spec JSON, file or name>]

  --checkpoint  <root>/runs/<job> (latest checkpoint), <root>/runs/<job>/checkpoints/epoch-NNNN,
                or a directory holding model.json and weights.bin
  --dataset     default: the job's training dataset (runs/<job>/spec.json)
`;

/** A dataset given as inline JSON, a JSON file, or a dataset name; validated like a spec's. */
async function datasetFromOption(value: string): Promise<DatasetSpec> {
  const text = value.trimStart().startsWith('{')
    ? value
    : value.endsWith('.json')
      ? await readFile(value, 'utf8')
      : JSON.stringify({ name: value });
  // The model field only keeps the spec's cross-field rules from asking for other inputs.
  const name = (JSON.parse(text) as { name?: unknown } | null)?.name;
  const format = (JSON.parse(text) as { format?: unknown } | null)?.format;
  const arch = isTextDataset({ name: String(name), format: String(format) }) ? 'bilstm' : 'mlp';
  return parseExperimentSpecJson(`{"version":1,"model":{"arch":"${arch}"},"dataset":${text}}`).dataset;
}

interface StoredModel {
  readonly model: tf.LayersModel;
  /** A text model's vocabulary.json beside its weights. */
  readonly vocabulary: Vocabulary | undefined;
}

async function vocabularyAt(store: Store, dir: string): Promise<Vocabulary | undefined> {
  const body = await getIfPresent(store, `${dir}vocabulary.json`);
  return body === undefined ? undefined : parseVocabulary(JSON.parse(new TextDecoder().decode(body)));
}

async function loadModel(store: Store, location: CheckpointLocation): Promise<StoredModel> {
  const fromDir = async (dir: string): Promise<StoredModel> => ({
    model: await tf.loadLayersModel(storeIOHandler(store, dir)),
    vocabulary: await vocabularyAt(store, dir),
  });
  if (location.kind === 'model-dir') return fromDir('');
  if (location.epochDir !== undefined)
    return fromDir(`${runKey(location.jobId, 'checkpoints', location.epochDir)}/`);
  const latest = await loadLatestCheckpoint(store, location.jobId);
  if (latest === undefined) throw new Error(`job ${location.jobId} has no checkpoint`);
  const vocabulary = latest.vocabulary === undefined ? undefined : parseVocabulary(latest.vocabulary);
  return { model: latest.model, vocabulary };
}

async function jobDataset(store: Store, location: CheckpointLocation): Promise<DatasetSpec> {
  if (location.kind === 'model-dir') throw new UsageError('--dataset is required for a bare model directory');
  const text = new TextDecoder().decode(await store.get(runKey(location.jobId, 'spec.json')));
  return parseExperimentSpec(JSON.parse(text)).dataset;
}

/** `ldam evaluate`: per-class errors of a checkpoint on a dataset's test split. */
export async function main(args: string[]): Promise<number> {
  let store: Store | undefined;
  try {
    const options = parseOptions(args, ['checkpoint', 'dataset']);
    if (options.checkpoint === undefined) throw new UsageError('--checkpoint is required');
    const location = parseCheckpointLocation(options.checkpoint);
    store = storeFromUrl(location.storeRoot);
    const datasetSpec =
      options.dataset === undefined
        ? await jobDataset(store, location)
        : await datasetFromOption(options.dataset);
    await selectBackend();
    const { model, vocabulary } = await loadModel(store, location);
    // A fresh vocabulary would give the embedding other ids than it was trained on.
    if (isTextDataset(datasetSpec) && vocabulary === undefined)
      throw new DataError(
        'vocabulary.json',
        'missing beside the checkpoint; a text model needs the vocabulary it was trained with',
      );
    const dataset = await loadDataset(datasetSpec, {
      objectSources: (bucket) => new S3Store(s3OptionsFromEnv(process.env, { bucket })),
      vocabulary,
    });
    const evaluation = await evaluateSplit(
      model,
      dataset.test,
      dataset.inputShape,
      256,
      () => new EvaluationAccumulator({ numClasses: dataset.numClasses, trainCounts: dataset.classCounts }),
    );
    model.dispose();
    process.stdout.write(perClassTable(evaluation, dataset.classNames, dataset.classCounts));
    return 0;
  } catch (error) {
    process.stderr.write(
      `ldam evaluate: ${describeFailure(error)}\n${error instanceof UsageError ? `\n${usage}` : ''}`,
    );
    return exitCodeOf(error);
  } finally {
    if (store instanceof S3Store) store.close();
  }
}
