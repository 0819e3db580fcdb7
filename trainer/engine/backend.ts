import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { TrainerEnv } from '../process/contract.ts';
import { registerTrainingKernels } from './kernels/register.ts';
import { loadOnednnBackend } from './onednn/index.ts';

/** What a caller may ask for (env `LDAM_BACKEND`); unset = the best that loads. */
export const backendPreferences = ['tensorflow-gpu', 'tensorflow', 'onednn', 'wasm', 'cpu'] as const;
export type BackendPreference = (typeof backendPreferences)[number];
/**
 * What is tried when nothing is requested: libtensorflow (GPU, then CPU) where it installs, then
 * the native oneDNN engine where its addon is built (scripts/setup.sh), then wasm, then pure JS.
 */
export const defaultBackendOrder: readonly BackendPreference[] = backendPreferences;

/** The tfjs backend name that ends up active. */
export type BackendName = 'tensorflow' | 'onednn' | 'wasm' | 'cpu';

export interface BackendAttempt {
  readonly name: BackendPreference;
  readonly ok: boolean;
  readonly reason?: string;
}

export interface SelectedBackend {
  readonly backend: BackendName;
  /** Human-readable device, e.g. 'gpu', 'cpu (libtensorflow)', 'cpu (wasm simd)', 'cpu (js)'. */
  readonly device: string;
  readonly tried: readonly BackendAttempt[];
  /** Compute threads, where the backend has a choice (onednn). */
  readonly threads?: number;
  /** The instruction set the native kernels dispatch to (onednn). */
  readonly isa?: string;
}

export interface SelectOptions {
  /** CPUs the job may use (spec `resources.cpus`): caps the onednn thread count. */
  readonly cpus?: number;
}

/** An explicitly requested backend could not be loaded, or the request named no backend. */
export class BackendUnavailableError extends Error {
  readonly tried: readonly BackendAttempt[];
  constructor(message: string, tried: readonly BackendAttempt[]) {
    super(message);
    this.name = 'BackendUnavailableError';
    this.tried = tried;
  }
}

type Loaded = Omit<SelectedBackend, 'tried'>;
/** Loads and activates one backend, or throws why it cannot. */
export type BackendLoader = (env: NodeJS.ProcessEnv, options: SelectOptions) => Promise<Loaded>;

const defaultLoaders: Record<BackendPreference, BackendLoader> = {
  'tensorflow-gpu': () => loadTfjsNode('@tensorflow/tfjs-node-gpu', 'gpu'),
  tensorflow: () => loadTfjsNode('@tensorflow/tfjs-node', 'cpu (libtensorflow)'),
  onednn: loadOnednn,
  wasm: loadWasm,
  cpu: loadCpu,
};

/** The backends to try, in order: exactly the requested one (argument, else env), else every preference. */
export function backendOrder(requested: string | undefined): readonly BackendPreference[] {
  return requested === undefined ? defaultBackendOrder : [parsePreference(requested)];
}

/**
 * The selection once the tries are over, from what loaded and why the others did not: the loaded
 * backend with every attempt, else BackendUnavailableError naming each failure.
 */
export function selectionOf(
  requested: string | undefined,
  tried: readonly BackendAttempt[],
  loaded: Loaded | undefined,
): SelectedBackend {
  if (loaded !== undefined) return { ...loaded, tried };
  const summary = tried.map((t) => `${t.name}: ${t.reason ?? 'failed'}`).join('; ');
  throw new BackendUnavailableError(
    requested === undefined
      ? `no tfjs backend could be loaded (${summary})`
      : `backend '${requested}' could not be loaded (${summary})`,
    tried,
  );
}

/**
 * Activates the best backend that loads (tfjs-node-gpu → tfjs-node → onednn → wasm → cpu), or
 * exactly the preferred one (argument, else env `LDAM_BACKEND`). Resolves once `tf.ready()` has.
 */
export async function selectBackend(
  preferred?: string,
  env: NodeJS.ProcessEnv = process.env,
  options: SelectOptions = {},
  loaders: Readonly<Record<BackendPreference, BackendLoader>> = defaultLoaders,
): Promise<SelectedBackend> {
  const requested = preferred ?? nonEmpty(env[TrainerEnv.backend]);
  const tried: BackendAttempt[] = [];
  for (const name of backendOrder(requested)) {
    try {
      const loaded = await loaders[name](env, options);
      tried.push({ name, ok: true });
      return selectionOf(requested, tried, loaded);
    } catch (error) {
      tried.push({ name, ok: false, reason: describeError(error) });
    }
  }
  return selectionOf(requested, tried, undefined);
}

export function parsePreference(value: string): BackendPreference {
  const found = backendPreferences.find((p) => p === value);
  if (found === undefined) {
    throw new BackendUnavailableError(
      `unknown backend '${value}' (expected one of ${backendPreferences.join(', ')})`,
      [],
    );
  }
  return found;
}

/** Absolute directory (trailing separator) holding the wasm binaries of @tensorflow/tfjs-backend-wasm. */
export function wasmBinaryDirectory(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('@tensorflow/tfjs-backend-wasm');
  return join(dirname(main), sep);
}

async function loadTfjsNode(
  specifier: string,
  device: string,
): Promise<{ backend: BackendName; device: string }> {
  // A package that is installed but cannot load its native binding counts as absent.
  await import(specifier);
  await activate('tensorflow');
  return { backend: 'tensorflow', device };
}

async function loadOnednn(env: NodeJS.ProcessEnv, options: SelectOptions): Promise<Loaded> {
  const info = loadOnednnBackend(env, options.cpus);
  await activate('onednn');
  return {
    backend: 'onednn',
    device: `cpu (onednn ${info.version} ${info.isa}, ${info.threads} threads)`,
    threads: info.threads,
    isa: info.isa,
  };
}

async function loadWasm(): Promise<{ backend: BackendName; device: string }> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(wasmBinaryDirectory());
  // Kernels are registered before activation so their setup runs with the backend's own.
  registerTrainingKernels();
  await activate('wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = wasm.getThreadsCount();
  const features = [simd ? 'simd' : 'no simd', ...(threads > 1 ? [`${threads} threads`] : [])];
  return { backend: 'wasm', device: `cpu (wasm ${features.join(', ')})` };
}

async function loadCpu(): Promise<{ backend: BackendName; device: string }> {
  await activate('cpu');
  return { backend: 'cpu', device: 'cpu (js)' };
}

async function activate(name: BackendName): Promise<void> {
  if (tf.findBackendFactory(name) == null && tf.findBackend(name) == null) {
    throw new Error(`backend '${name}' is not registered`);
  }
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`backend '${name}' failed to initialise`);
  await tf.ready();
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${firstLine(error.message)}` : firstLine(error.message);
  }
  return String(error);
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}
