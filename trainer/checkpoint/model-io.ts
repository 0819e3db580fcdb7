// A tfjs IOHandler over the Store: `model.save(handler)` writes model.json (topology + weights
// manifest) and weights.bin into a checkpoint directory; `tf.loadLayersModel(handler)` reads them.

import * as tf from '@tensorflow/tfjs';
import type { Store } from '../store/store.ts';
import { checkpointFiles } from './layout.ts';
import { digestOf, type FileDigest } from './manifest.ts';

export interface StoreIOHandler extends tf.io.IOHandler {
  /** Digests of the files the last `save` wrote, by file name. */
  readonly written: Map<string, FileDigest>;
}

const encoder = new TextEncoder();

/** Reads and writes `<dirKey>model.json` and `<dirKey>weights.bin`; dirKey ends in '/'. */
export function storeIOHandler(store: Store, dirKey: string): StoreIOHandler {
  const written = new Map<string, FileDigest>();
  return {
    written,
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer || artifacts.modelTopology === undefined) {
        throw new Error('only JSON model topologies (LayersModel) can be checkpointed');
      }
      // tfjs 4.x may hand weights over as several buffers.
      const weights = new Uint8Array(
        artifacts.weightData === undefined
          ? new ArrayBuffer(0)
          : tf.io.CompositeArrayBuffer.join(artifacts.weightData),
      );
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [checkpointFiles.weights], weights: artifacts.weightSpecs ?? [] }],
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: artifacts.convertedBy ?? null,
        ...(artifacts.trainingConfig === undefined ? {} : { trainingConfig: artifacts.trainingConfig }),
        ...(artifacts.userDefinedMetadata === undefined
          ? {}
          : { userDefinedMetadata: artifacts.userDefinedMetadata }),
      };
      const modelBytes = encoder.encode(JSON.stringify(modelJson));
      await store.put(dirKey + checkpointFiles.weights, weights, { contentType: 'application/octet-stream' });
      await store.put(dirKey + checkpointFiles.model, modelBytes, { contentType: 'application/json' });
      written.set(checkpointFiles.weights, digestOf(weights));
      written.set(checkpointFiles.model, digestOf(modelBytes));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: modelBytes.byteLength,
          weightSpecsBytes: JSON.stringify(modelJson.weightsManifest).length,
          weightDataBytes: weights.byteLength,
        },
      };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const modelJson = JSON.parse(new TextDecoder().decode(await store.get(dirKey + checkpointFiles.model)));
      return artifactsFromJson(
        modelJson as tf.io.ModelJSON,
        await store.get(dirKey + checkpointFiles.weights),
      );
    },
  };
}

/** Model artifacts from an already fetched (and verified) model.json and weights.bin. */
export function artifactsFromJson(
  modelJson: tf.io.ModelJSON,
  weights: Uint8Array,
): Promise<tf.io.ModelArtifacts> {
  const weightData = weights.buffer.slice(
    weights.byteOffset,
    weights.byteOffset + weights.byteLength,
  ) as ArrayBuffer;
  return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => [
    tf.io.getWeightSpecs(manifest),
    weightData,
  ]);
}
