// `npm run experiment`: the paper's headline pair on long-tailed Fashion-MNIST (ρ = 100, exp, all
// training images, balanced test set): ERM (CE, no re-balancing) vs LDAM-DRW, same recipe
// otherwise (the spec's defaults: SGD 0.1, momentum 0.9, wd 2e-4, batch 128, the paper's warm-up
// and decay proportions, DRW at the first decay). Not part of the test suite.
//   npm run experiment -- [--arch mlp|resnet8|resnet20|resnet32|resnet44|resnet56] [--epochs 20] [--seed 0] [--max-per-class N] [--method ERM|LDAM-DRW]
// (--method runs one of the pair: wasm trains on one core, so two processes use both.)
import { parseArgs } from 'node:util';
import { methodPresets } from '../functions/benchmarks/methods.ts';
import { applyOverrides } from '../functions/benchmarks/overrides.ts';
import { loadDataset } from '../trainer/data/index.ts';
import { selectBackend } from '../trainer/engine/index.ts';
import { type ExperimentResult, runExperiment } from '../trainer/loop/index.ts';
import { parseExperimentSpec } from '../trainer/spec/index.ts';

const { values } = parseArgs({
  options: {
    arch: { type: 'string', default: 'mlp' },
    epochs: { type: 'string', default: '20' },
    seed: { type: 'string', default: '0' },
    'max-per-class': { type: 'string' },
    method: { type: 'string' },
  },
});
// Any other name ran the MLP silently before; now only the models the spec knows.
const arches = ['mlp', 'resnet8', 'resnet20', 'resnet32', 'resnet44', 'resnet56'] as const;
const arch = arches.find((a) => a === values.arch);
if (arch === undefined) {
  process.stderr.write(`--arch must be one of ${arches.join(', ')} (got '${values.arch}')\n`);
  process.exit(2);
}
const epochs = Number(values.epochs);
const seed = Number(values.seed);
const maxPerClass =
  values['max-per-class'] === undefined ? {} : { maxPerClass: Number(values['max-per-class']) };

// The benchmark's method presets (loss and re-balancing rule), by their labels in the paper.
const methods = { ERM: 'erm', 'LDAM-DRW': 'ldam-drw' } as const;

function spec(method: keyof typeof methods): unknown {
  const base = {
    version: 1,
    name: `fashion-mnist-lt ${method}`,
    dataset: { name: 'fashion-mnist', imbalance: { type: 'exp', ratio: 100 }, seed, ...maxPerClass },
    model: arch === 'mlp' ? { arch, hidden: [256, 256] } : { arch },
    schedule: { epochs },
    seed,
  };
  return applyOverrides(base, methodPresets[methods[method]].overrides);
}

const percent = (rate: number | null | undefined) => (rate == null ? '–' : `${(rate * 100).toFixed(2)}%`);

const backend = await selectBackend();
const first = parseExperimentSpec(spec('ERM'));
const dataset = await loadDataset(first.dataset);
process.stderr.write(
  `backend ${backend.backend} (${backend.device}); ${dataset.train.count} training images ` +
    `[${dataset.classCounts.join(', ')}], ${dataset.test.count} test images; ${arch}, ${epochs} epochs, seed ${seed}\n`,
);

const allMethods = Object.keys(methods) as Array<keyof typeof methods>;
const selected = values.method === undefined ? allMethods : allMethods.filter((m) => m === values.method);
if (selected.length === 0) throw new Error(`--method must be one of ${allMethods.join(', ')}`);
const results: Array<[string, ExperimentResult]> = [];
for (const method of selected) {
  const result = await runExperiment(method === 'ERM' ? first : parseExperimentSpec(spec(method)), {
    dataset,
    hooks: {
      onEpoch: (r) =>
        void process.stderr.write(
          `${method} epoch ${r.epoch}/${epochs} lr ${r.lr.toPrecision(3)} loss ${r.trainLoss.toFixed(4)} ` +
            `balanced error ${percent(r.test?.balancedError)} (${r.seconds.toFixed(1)} s)\n`,
        ),
    },
  });
  results.push([method, result]);
}

const header = ['method', 'final balanced error', 'best (epoch)', 'many', 'medium', 'few', 'minutes'];
const rows = results.map(([method, { final, state, seconds }]) => {
  const { many, medium, few } = final.test.groups;
  const best = state.best === null ? '–' : `${percent(state.best.test.balancedError)} (${state.best.epoch})`;
  return [
    method,
    percent(final.test.balancedError),
    best,
    percent(many.error),
    percent(medium.error),
    percent(few.error),
    (seconds / 60).toFixed(1),
  ];
});
const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
process.stdout.write(
  `\nLong-tailed Fashion-MNIST (ρ = 100, exp), ${arch}, ${epochs} epochs; best epoch selected on the test set, as the reference does\n\n${table}\n`,
);
