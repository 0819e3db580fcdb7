import type { DataType, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { BufferPool } from './buffer-pool.ts';

type DataId = object;
type BackendValues = Parameters<MathBackendCPU['write']>[0];

/**
 * The `onednn` backend: tfjs's cpu backend (same tensor storage: a typed array per tensor), whose
 * hot kernels are replaced by oneDNN calls writing into pooled output buffers. Every other cpu
 * kernel runs unchanged on the same data.
 */
export class OnednnBackend extends MathBackendCPU {
  readonly pool = new BufferPool();

  /** A pooled float32 output of `shape`, to be filled by a native kernel and wrapped by `output`. */
  buffer(shape: readonly number[]): Float32Array {
    return this.pool.take(shape.reduce((n, d) => n * d, 1));
  }

  /** Hands back a buffer from `buffer` that no tensor refers to (a kernel's scratch space). */
  recycle(values: Float32Array): void {
    this.pool.release(values);
  }

  output(values: Float32Array, shape: readonly number[]): TensorInfo {
    return this.makeTensorInfo(shape.slice(), 'float32', values);
  }

  /** The stored values of a float32-stored tensor (no copy): kernels read inputs through this. */
  valuesOf(info: TensorInfo): Float32Array {
    const values = this.data.get(info.dataId).values;
    if (!(values instanceof Float32Array)) {
      throw new TypeError(
        `a ${info.dtype} tensor stored as ${values?.constructor.name} reached a native kernel`,
      );
    }
    return values;
  }

  /** Whether the tensor's values are a Float32Array (see `allFloat32` for when they are not). */
  storesFloat32(info: TensorInfo): boolean {
    return this.data.get(info.dataId).values instanceof Float32Array;
  }

  /**
   * The values as a Float32Array, converted (a copy) when stored otherwise: for the project's own
   * kernels, which have no stock cpu kernel to hand off to.
   */
  float32ValuesOf(info: TensorInfo): Float32Array {
    const values = this.data.get(info.dataId).values;
    if (values instanceof Float32Array) return values;
    if (
      values === undefined ||
      typeof (values as ArrayLike<unknown>).length !== 'number' ||
      info.dtype === 'string'
    ) {
      throw new TypeError(`a ${info.dtype} tensor cannot be read as float32`);
    }
    return Float32Array.from(values as ArrayLike<number>);
  }

  override write(values: BackendValues, shape: number[], dtype: DataType): DataId {
    this.pool.retain(values);
    return super.write(values, shape, dtype);
  }

  override move(
    dataId: DataId,
    values: BackendValues,
    shape: number[],
    dtype: DataType,
    refCount: number,
  ): void {
    this.pool.retain(values);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const gone = super.disposeData(dataId, force);
    if (gone) this.pool.release(values);
    return gone;
  }

  // Reads hand out copies of pooled buffers: a caller may keep a dataSync() array after the
  // tensor is disposed, when its buffer already holds another op's output.
  override readSync(dataId: DataId): BackendValues {
    const values = super.readSync(dataId);
    return this.pool.owns(values) ? values.slice() : values;
  }

  override async read(dataId: DataId): Promise<BackendValues> {
    return this.readSync(dataId);
  }
}

export const onednnBackendName = 'onednn';

/** Registers the backend and every cpu kernel under its name (once); native kernels go on top. */
export function registerOnednnBackend(nativeKernels: readonly tf.KernelConfig[]): void {
  if (tf.findBackendFactory(onednnBackendName) != null) return;
  // Priority 0: registering must not make it the default of code that never chose a backend.
  tf.registerBackend(onednnBackendName, () => new OnednnBackend(), 0);
  const native = new Set(nativeKernels.map((k) => k.kernelName));
  for (const config of tf.getKernelsForBackend('cpu')) {
    if (!native.has(config.kernelName)) tf.registerKernel({ ...config, backendName: onednnBackendName });
  }
  for (const config of nativeKernels) tf.registerKernel({ ...config, backendName: onednnBackendName });
}
