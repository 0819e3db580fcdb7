import { type ExperimentSpec, fixedClassCounts } from './experiment.ts';
import { type BilstmSpec, defaultBilstmSpec, defaultTextSpec, isTextDataset, type TextSpec } from './text.ts';

/** One LR decay: from epoch `afterEpoch + 1` on, lr = base · factor (epochs count from 1). */
export interface DecayStep {
  readonly afterEpoch: number;
  readonly factor: number;
}

/** Every spec default that depends on another field, made concrete. */
export interface ResolvedExperiment {
  readonly spec: ExperimentSpec;
  readonly numClasses: number;
  readonly classifier: 'linear' | 'cosine';
  readonly warmupEpochs: number;
  readonly decay: readonly DecayStep[];
  /** Completed epochs after which drw/drs switch on (null for other rules). */
  readonly rebalanceAfterEpoch: number | null;
  /** Image augmentation (crop and flip by default; none for text). */
  readonly augment: { readonly crop: boolean; readonly padding?: number | undefined; readonly flip: boolean };
  /** Tokenisation settings of a text dataset (undefined for images). */
  readonly text: TextSpec | undefined;
  readonly bilstm: BilstmSpec;
  readonly adam: AdamSettings;
}

/** Adam's coefficients with PyTorch's defaults (torch.optim.Adam). */
export interface AdamSettings {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

// The recipe's proportions: 5 warm-up epochs, decays after 160 and 180 of 200 (Cao et al. 2019).
const warmupFraction = 5 / 200;
const decayFractions = [
  { fraction: 160 / 200, factor: 0.01 },
  { fraction: 180 / 200, factor: 0.0001 },
] as const;

export function defaultDecay(epochs: number): DecayStep[] {
  return decayFractions.map(({ fraction, factor }) => ({
    afterEpoch: Math.max(1, Math.round(epochs * fraction)),
    factor,
  }));
}

export function defaultWarmupEpochs(epochs: number): number {
  return Math.round(epochs * warmupFraction);
}

export function numClassesOf(spec: ExperimentSpec): number {
  return spec.dataset.numClasses ?? spec.dataset.labels?.length ?? fixedClassCounts[spec.dataset.name] ?? 10;
}

export function resolveExperiment(spec: ExperimentSpec): ResolvedExperiment {
  const epochs = spec.schedule.epochs;
  const decay = spec.schedule.decay ?? defaultDecay(epochs);
  const deferred = spec.rebalance.rule === 'drw' || spec.rebalance.rule === 'drs';
  const text = isTextDataset(spec.dataset);
  const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = spec.optimizer;
  return {
    spec,
    numClasses: numClassesOf(spec),
    classifier: spec.model.classifier ?? (spec.loss.type === 'ldam' ? 'cosine' : 'linear'),
    warmupEpochs: spec.schedule.warmupEpochs ?? defaultWarmupEpochs(epochs),
    decay,
    rebalanceAfterEpoch: deferred
      ? (spec.rebalance.afterEpoch ?? decay[0]?.afterEpoch ?? Math.round(epochs * 0.8))
      : null,
    augment: spec.augment ?? { crop: !text, flip: !text },
    text: text ? { ...defaultTextSpec, ...spec.dataset.text } : undefined,
    bilstm: { ...defaultBilstmSpec, ...spec.model.bilstm },
    adam: { beta1, beta2, epsilon },
  };
}
