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
] as const;
export type MethodName = (typeof methodNames)[number];

/** A method: overrides as dotted path → value, and its label in the paper's tables. */
export interface MethodPreset {
  readonly label: string;
  /** Row name in paper-results.json, when the paper reports this method. */
  readonly paperRow?: string;
  readonly overrides: ReadonlyArray<readonly [string, unknown]>;
}

const ce = { type: 'ce' };
const focal = { type: 'focal' };
const ldam = { type: 'ldam' };

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
};

export function isMethodName(name: string): name is MethodName {
  return (methodNames as readonly string[]).includes(name);
}
