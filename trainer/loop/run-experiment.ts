import type { LoadedDataset } from '../data/index.ts';
import { loadDataset } from '../data/index.ts';
import { type ExperimentSpec, resolveExperiment } from '../spec/index.ts';
import { trainingRunFromSpec } from './compose.ts';
import { runTraining } from './loop.ts';
import { activeBackendName } from './memory.ts';
import type { TrainerState } from './state.ts';
import type { FinalScores, TrainingHooks } from './types.ts';

export interface ExperimentResult {
  readonly final: FinalScores;
  readonly state: TrainerState;
  readonly classCounts: readonly number[];
  readonly seconds: number;
}

/**
 * Trains one spec in this process, without a store (library use, benchmarks, tests); the caller
 * selects the tfjs backend first. Pass `dataset` to share one loaded dataset between runs.
 */
export async function runExperiment(
  spec: ExperimentSpec,
  options: { readonly dataset?: LoadedDataset; readonly hooks?: TrainingHooks } = {},
): Promise<ExperimentResult> {
  const started = performance.now();
  const dataset = options.dataset ?? (await loadDataset(spec.dataset));
  const run = trainingRunFromSpec(resolveExperiment(spec), dataset, {
    memory: { backend: activeBackendName() },
    ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
  });
  try {
    const outcome = await runTraining(run);
    if (outcome.status !== 'completed') throw new Error('training stopped before its last epoch');
    return {
      final: outcome.final,
      state: outcome.state,
      classCounts: dataset.classCounts,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    run.optimizer.dispose();
    run.model.dispose();
  }
}
