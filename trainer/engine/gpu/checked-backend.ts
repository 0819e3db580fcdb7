// Backend selection with the GPU check: on `tensorflow-gpu` the run starts only once the GPU is
// proven usable (check.ts), so a broken image or host fails at start (exit 5) instead of training
// on the CPU under a "gpu" label.
import { TrainerEnv } from '../../process/contract.ts';
import {
  BackendUnavailableError,
  type SelectedBackend,
  type SelectOptions,
  selectBackend,
} from '../backend.ts';
import { type GpuCheckMode, GpuUnavailableError, gpuProblems } from './check.ts';
import { type GpuProbes, gatherGpuFacts, realGpuProbes } from './probes.ts';

export interface CheckedBackendDeps {
  readonly select?: typeof selectBackend;
  readonly probes?: GpuProbes;
}

const gpuBackend = 'tensorflow-gpu';

/** Loads the GPU package and checks it in `mode`; throws GpuUnavailableError naming every problem. */
export async function checkGpuBackend(
  env: NodeJS.ProcessEnv,
  mode: GpuCheckMode,
  deps: CheckedBackendDeps = {},
): Promise<SelectedBackend> {
  const select = deps.select ?? selectBackend;
  const probes = deps.probes ?? realGpuProbes;
  let selected: SelectedBackend | undefined;
  let loadError = '';
  try {
    selected = await select(gpuBackend, env);
  } catch (error) {
    if (!(error instanceof BackendUnavailableError)) throw error;
    loadError = error.tried.find((t) => t.name === gpuBackend)?.reason ?? error.message;
  }
  const facts = await gatherGpuFacts(
    probes,
    selected === undefined ? { ok: false, error: loadError } : { ok: true },
  );
  const problems = gpuProblems(facts, mode);
  if (problems.length > 0 || selected === undefined) throw new GpuUnavailableError(problems);
  const op = facts.tensorflow?.op;
  const device = mode === 'gpu' ? 'gpu (GPU:0)' : 'cpu (tfjs-node-gpu, no-gpu check)';
  return { ...selected, device: op?.ok === true ? `${device}; first op ${op.ms} ms` : device };
}

/**
 * selectBackend, except that the GPU backend, asked for (`LDAM_BACKEND=tensorflow-gpu`, the GPU
 * image's setting) or picked as the best that loads, must pass the GPU check.
 */
export async function selectCheckedBackend(
  env: NodeJS.ProcessEnv,
  deps: CheckedBackendDeps = {},
  options: SelectOptions = {},
): Promise<SelectedBackend> {
  if (env[TrainerEnv.backend]?.trim() === gpuBackend) return checkGpuBackend(env, 'gpu', deps);
  const selected = await (deps.select ?? selectBackend)(undefined, env, options);
  if (selected.tried.at(-1)?.name !== gpuBackend) return selected;
  return checkGpuBackend(env, 'gpu', { ...deps, select: async () => selected });
}
