// Offline checks of Dockerfile.gpu against the process contract and the pinned GPU package: what a
// build would reveal hours later on a GPU host, found while reading the file.
import {
  TrainerEnv,
  trainerEntrypoint,
  trainerImageName,
  trainerUid,
} from '../../trainer/process/contract.ts';
import { cudaInstallProblems } from './cuda-compat.ts';
import type { DockerStage } from './dockerfile.ts';
import { envAssignments, execForm, instructionsOf, parseDockerfile } from './dockerfile.ts';

export const gpuPackage = '@tensorflow/tfjs-node-gpu';
export const requiredNodeMajor = 22;

export type TrainerDockerfileFacts = {
  /** The exact @tensorflow/tfjs-node-gpu version package.json pins. */
  readonly tfjsNodeGpuVersion: string;
};

const trainerEnvNames: ReadonlySet<string> = new Set(Object.values(TrainerEnv));
// Set by Node or the CUDA base for themselves, not read by the trainer.
const platformEnvNames: ReadonlySet<string> = new Set([
  'NODE_ENV',
  'PATH',
  'LD_LIBRARY_PATH',
  'NVIDIA_VISIBLE_DEVICES',
  'NVIDIA_DRIVER_CAPABILITIES',
]);

/** Every problem found (empty when the file is consistent). */
export function trainerDockerfileProblems(text: string, facts: TrainerDockerfileFacts): string[] {
  const { stages } = parseDockerfile(text);
  const final = stages.at(-1);
  if (final === undefined) return ['no FROM: not a Dockerfile'];
  return [
    ...cudaProblems(stages, final, facts.tfjsNodeGpuVersion),
    ...nodeProblems(stages, final),
    ...installProblems(stages),
    ...finalStageProblems(final),
  ];
}

/** The stages the final one is built on, nearest first, ending with the final stage itself. */
function lineage(stages: readonly DockerStage[], stage: DockerStage): DockerStage[] {
  const parent = stages.find((candidate) => candidate !== stage && candidate.name === stage.from);
  return parent === undefined ? [stage] : [...lineage(stages, parent), stage];
}

/** The CUDA libraries: installed in the final stage's lineage, the versions the table asks for. */
function cudaProblems(stages: readonly DockerStage[], final: DockerStage, tfjsVersion: string): string[] {
  const ancestry = lineage(stages, final);
  const installer = ancestry.find((stage) =>
    instructionsOf(stage, 'RUN').some((run) => /\bcuda-cudart-/.test(run.args)),
  );
  if (installer === undefined)
    return ['no stage the final image is built on installs the CUDA runtime (cuda-cudart-*)'];
  const root = ancestry[0]?.from ?? '';
  const installText = instructionsOf(installer, 'RUN')
    .map((run) => run.args)
    .join(' ');
  const problems = cudaInstallProblems(tfjsVersion, root, installText);
  const env = Object.assign(
    {},
    ...ancestry.flatMap((stage) => instructionsOf(stage, 'ENV').map((i) => envAssignments(i.args))),
  );
  if (!String(env.NVIDIA_DRIVER_CAPABILITIES ?? '').includes('compute')) {
    problems.push('NVIDIA_DRIVER_CAPABILITIES must include compute, or the toolkit mounts no CUDA driver');
  }
  return problems;
}

function nodeProblems(stages: readonly DockerStage[], final: DockerStage): string[] {
  const nodeStages = stages.filter((stage) => /^(?:docker\.io\/(?:library\/)?)?node:/.test(stage.from));
  if (nodeStages.length === 0) return ['no stage takes Node from the official node image'];
  const problems: string[] = [];
  for (const stage of nodeStages) {
    const major = Number(/^(?:\S*\/)?node:(\d+)/.exec(stage.from)?.[1]);
    if (major !== requiredNodeMajor)
      problems.push(`Node ${major} in ${stage.from}; the image needs Node ${requiredNodeMajor}`);
  }
  const copiesNode = instructionsOf(final, 'COPY').some((copy) =>
    nodeStages.some(
      (stage) =>
        stage.name !== undefined && copy.args.includes(`--from=${stage.name}`) && /\/node\b/.test(copy.args),
    ),
  );
  if (!copiesNode) problems.push('the final stage does not copy the node binary from the Node stage');
  return problems;
}

function installProblems(stages: readonly DockerStage[]): string[] {
  const runs = stages.flatMap((stage) => instructionsOf(stage, 'RUN'));
  const install = runs.find((run) => /\bnpm ci\b/.test(run.args));
  if (install === undefined) return ['no `npm ci`: dependencies are not installed from the lock file'];
  const problems: string[] = [];
  if (!/--omit=dev\b/.test(install.args)) problems.push('`npm ci` without --omit=dev ships dev dependencies');
  // npm 11 refuses --allow-scripts for a project; the same key written to .npmrc is accepted.
  const allowed = /allow-scripts=([^\s'"\\]+)/.exec(install.args)?.[1]?.split(',') ?? [];
  if (!allowed.some((entry) => entry === gpuPackage || entry.startsWith(`${gpuPackage}@`))) {
    problems.push(
      `\`npm ci\` does not allow ${gpuPackage}'s install script: its native binding would be missing`,
    );
  }
  return problems;
}

function finalStageProblems(final: DockerStage): string[] {
  const problems: string[] = [];
  const entrypoint = execForm(instructionsOf(final, 'ENTRYPOINT').at(-1)?.args ?? '');
  if (entrypoint?.[0] !== trainerEntrypoint || entrypoint.length !== 1) {
    problems.push(`ENTRYPOINT must be ["${trainerEntrypoint}"] in exec form`);
  }
  const links = instructionsOf(final, 'RUN').some((run) =>
    new RegExp(`/usr/local/bin/${trainerEntrypoint}\\b`).test(run.args),
  );
  if (!links)
    problems.push(`nothing puts \`${trainerEntrypoint}\` on PATH (/usr/local/bin/${trainerEntrypoint})`);
  const user = instructionsOf(final, 'USER').at(-1)?.args.split(':')[0]?.trim();
  if (user === undefined || user === 'root' || user === '0') problems.push('the final stage runs as root');
  const env: Record<string, string> = {};
  for (const instruction of instructionsOf(final, 'ENV'))
    Object.assign(env, envAssignments(instruction.args));
  for (const name of Object.keys(env)) {
    if (!trainerEnvNames.has(name) && !platformEnvNames.has(name))
      problems.push(`ENV ${name} is not a TrainerEnv name`);
  }
  if (env[TrainerEnv.backend] !== 'tensorflow-gpu')
    problems.push(`ENV ${TrainerEnv.backend} must be tensorflow-gpu`);
  // The trainer's own GPU check (trainer/engine/gpu), which loads the binding and every CUDA soname.
  const checksGpu = instructionsOf(final, 'RUN').some((run) =>
    new RegExp(`\\b${trainerEntrypoint} gpu-check --no-gpu\\b`).test(run.args),
  );
  if (!checksGpu)
    problems.push(`the final stage never runs \`${trainerEntrypoint} gpu-check --no-gpu\` at build time`);
  // Image datasets decode with sharp: its prebuilt binary must load on the image's Ubuntu 20.04.
  const loadsSharp = instructionsOf(final, 'RUN').some((run) => /require\('sharp'\)/.test(run.args));
  if (!loadsSharp) problems.push('the final stage never loads sharp (the JPEG decoder) at build time');
  const useradd = instructionsOf(final, 'RUN').find((run) => /\buseradd\b/.test(run.args));
  if (useradd === undefined || !new RegExp(`--uid ${trainerUid}\\b`).test(useradd.args))
    problems.push(
      `the trainer user must have uid ${trainerUid} (the host's CUDA cache directory is owned by it)`,
    );
  const title = instructionsOf(final, 'LABEL')
    .map((label) => /org\.opencontainers\.image\.title="?([^"\s]+)"?/.exec(label.args)?.[1])
    .find((value) => value !== undefined);
  if (title !== trainerImageName)
    problems.push(`image title label ${title ?? '(none)'} is not ${trainerImageName}`);
  return problems;
}
