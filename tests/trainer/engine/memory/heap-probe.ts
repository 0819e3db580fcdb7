import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../../../../trainer/engine/backend.ts';
import { estimateTrainingPeakBytes } from '../../../../trainer/engine/memory/estimate.ts';
import { buildModel } from '../../../../trainer/models/index.ts';

// Run as a child process (the wasm heap only grows, so each probe needs a fresh one):
// `probe ARCH BATCH H,W,C|FEATURES` trains three SGD-momentum steps and prints
// { initialHeapBytes, heapBytes, estimatedBytes } as JSON.

const [arch = 'resnet8', batchText = '8', shapeText = '28,28,1'] = process.argv.slice(2);
const batch = Number(batchText);
const inputShape = shapeText.split(',').map(Number);
await selectBackend('wasm', {});
const heapBytes = () =>
  ((tf.backend() as BackendWasm).wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer.byteLength;
const initialHeapBytes = heapBytes();
const model = buildModel(
  { arch: arch as 'mlp' | 'resnet8', hidden: [256, 256] },
  { inputShape, numClasses: 10, classifier: 'linear' },
);
const optimizer = tf.train.momentum(0.01, 0.9);
const x = tf.randomNormal([batch, ...inputShape]);
const labels = tf.oneHot(
  tf.tensor1d(
    Array.from({ length: batch }, (_, i) => i % 10),
    'int32',
  ),
  10,
);
for (let step = 0; step < 3; step++) {
  const loss = optimizer.minimize(
    () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
    true,
  );
  loss?.dispose();
}
const estimatedBytes = estimateTrainingPeakBytes(model, batch, inputShape);
process.stdout.write(`${JSON.stringify({ initialHeapBytes, heapBytes: heapBytes(), estimatedBytes })}\n`);
