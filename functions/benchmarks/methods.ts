// The paper's comparison rows as named presets: each is a loss and a re-balancing rule applied on
// top of the benchmark's base spec (Cao et al. 2019, Tables 2 and 5; RS/RW from Table 1).

export const methodNames = [
  'erm',
  'focal',
  'ldam',
  'rs',
  'rw',
  'cb-rs',
  'cb-rw',
  'cb-focal',
  'erm-drw',
  'erm-drs',
  'ldam-drw',
  'ldam-drs',
  'logit-adjusted',
  'm-drw',
  'hg-drs',
  'ldam-hg-drs',
  'balanced-softmax',
  'posthoc-la',
  'tau-norm',
  'crt',
] as const;
export type MethodName = (typeof methodNames)[number];

/** A method: overrides as dotted path → value, and its label in the paper's tables. */
export interface MethodPreset {
  readonly label: string;
  /** Row name in paper-results.json, when the paper reports this method. */
  readonly paperRow?: string;
  readonly overrides: ReadonlyArray<readonly [string, unknown]>;
  /**
   * A post-hoc row: no jobs of its own, read from another method's cells (their reports' post-hoc
   * rows), so it never trains twice.
   */
  readonly posthocOf?: { readonly method: MethodName; readonly adjustment: 'posthoc-la' | 'tau-norm' };
  /**
   * A second stage (cRT): each cell waits for this method's cell of the same setting and seed and
   * starts from its job (`stage2.fromJob`), so stage 1 trains once for both rows.
   */
  readonly stage2Of?: MethodName;
}

const ce = { type: 'ce' };
const focal = { type: 'focal' };
const ldam = { type: 'ldam' };
const uniformHinge = { type: 'hinge', margins: 'uniform' };
const ldamHinge = { type: 'hinge', margins: 'label-distribution' };

function rebalance(rule: string, weighting: 'class-balanced' | 'inverse-frequency' = 'class-balanced') {
  return [
    ['rebalance.rule', rule],
    ['rebalance.weighting', weighting],
  ] as const;
}

export const methodPresets: Readonly<Record<MethodName, MethodPreset>> = {
  erm: {
    label: 'ERM',
    paperRow: 'ERM',
    overrides: [
      ['loss', ce],
      ['rebalance.rule', 'none'],
    ],
  },
  focal: {
    label: 'Focal',
    paperRow: 'Focal',
    overrides: [
      ['loss', focal],
      ['rebalance.rule', 'none'],
    ],
  },
  ldam: {
    label: 'LDAM',
    paperRow: 'LDAM',
    overrides: [
      ['loss', ldam],
      ['rebalance.rule', 'none'],
    ],
  },
  rs: {
    label: 'RS',
    paperRow: 'RS',
    overrides: [['loss', ce], ...rebalance('resample', 'inverse-frequency')],
  },
  rw: {
    label: 'RW',
    paperRow: 'RW',
    overrides: [['loss', ce], ...rebalance('reweight', 'inverse-frequency')],
  },
  'cb-rs': { label: 'CB RS', paperRow: 'CB RS', overrides: [['loss', ce], ...rebalance('resample')] },
  'cb-rw': { label: 'CB RW', paperRow: 'CB RW', overrides: [['loss', ce], ...rebalance('reweight')] },
  'cb-focal': {
    label: 'CB Focal',
    paperRow: 'CB Focal',
    overrides: [['loss', focal], ...rebalance('reweight')],
  },
  'erm-drw': { label: 'ERM-DRW', paperRow: 'ERM-DRW', overrides: [['loss', ce], ...rebalance('drw')] },
  'erm-drs': { label: 'ERM-DRS', paperRow: 'ERM-DRS', overrides: [['loss', ce], ...rebalance('drs')] },
  'ldam-drw': { label: 'LDAM-DRW', paperRow: 'LDAM-DRW', overrides: [['loss', ldam], ...rebalance('drw')] },
  'ldam-drs': { label: 'LDAM-DRS', overrides: [['loss', ldam], ...rebalance('drs')] },
  'logit-adjusted': {
    label: 'Logit-adjusted',
    overrides: [
      ['loss', { type: 'logit-adjusted' }],
      ['rebalance.rule', 'none'],
    ],
  },
  // Table 2's remaining rows (Cao et al. 2019): one margin for every class with DRW, and the
  // multi-class hinge loss with uniform (HG) or label-distribution (LDAM-HG) margins, with DRS.
  'm-drw': {
    label: 'M-DRW',
    paperRow: 'M-DRW',
    overrides: [['loss', { type: 'ldam', margins: 'uniform' }], ...rebalance('drw')],
  },
  'hg-drs': { label: 'HG-DRS', paperRow: 'HG-DRS', overrides: [['loss', uniformHinge], ...rebalance('drs')] },
  'ldam-hg-drs': {
    label: 'LDAM-HG-DRS',
    paperRow: 'LDAM-HG-DRS',
    overrides: [['loss', ldamHinge], ...rebalance('drs')],
  },
  // Balanced Softmax (Ren et al. 2020) is CE on z_j + log n_j: logit-adjusted with τ = 1.
  'balanced-softmax': {
    label: 'Balanced Softmax',
    overrides: [
      ['loss', { type: 'logit-adjusted', tau: 1 }],
      ['rebalance.rule', 'none'],
    ],
  },
  // Post-hoc rows on the ERM cells' logits: Menon et al. 2021 (argmax z_j − τ log π_j) and Kang et
  // al. 2020 (w_j / ‖w_j‖^τ on the linear head).
  'posthoc-la': {
    label: 'ERM + post-hoc LA',
    overrides: [],
    posthocOf: { method: 'erm', adjustment: 'posthoc-la' },
  },
  'tau-norm': { label: 'ERM + τ-norm', overrides: [], posthocOf: { method: 'erm', adjustment: 'tau-norm' } },
  // Classifier re-training (Kang et al. 2020, §4): the ERM cell's features frozen, a new linear head
  // trained with class-balanced sampling (p ∝ 1/n_y) at a constant LR for 10 epochs (their recipe's length).
  crt: {
    label: 'ERM + cRT',
    stage2Of: 'erm',
    overrides: [
      ['schedule', { epochs: 10, warmupEpochs: 0, decay: [] }],
      ...rebalance('resample', 'inverse-frequency'),
    ],
  },
};

export function isMethodName(name: string): name is MethodName {
  return (methodNames as readonly string[]).includes(name);
}
