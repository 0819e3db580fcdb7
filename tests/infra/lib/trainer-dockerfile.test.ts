// Static checks of Dockerfile.gpu: no Docker engine exists here, so the file is read, not built.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cudaRuntimePackages, cudnnPackage, tfjsNodeGpuCuda } from '../../../infra/lib/cuda-compat.ts';
import { envAssignments, execForm, instructionsOf, parseDockerfile } from '../../../infra/lib/dockerfile.ts';
import { gpuPackage, trainerDockerfileProblems } from '../../../infra/lib/trainer-dockerfile.ts';
import {
  TrainerEnv,
  trainerEntrypoint,
  trainerImageName,
  trainerUid,
} from '../../../trainer/process/contract.ts';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const dockerfile = read('Dockerfile.gpu');
const manifest = JSON.parse(read('package.json')) as {
  bin: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};
const pinned = manifest.optionalDependencies?.[gpuPackage] ?? '';
const facts = { tfjsNodeGpuVersion: pinned };
const finalStage = () => {
  const stage = parseDockerfile(dockerfile).stages.at(-1);
  if (stage === undefined) throw new Error('Dockerfile.gpu has no stage');
  return stage;
};

describe('Dockerfile.gpu as written', () => {
  it('passes every check', () => {
    expect(trainerDockerfileProblems(dockerfile, facts)).toEqual([]);
  });

  it("pins a tfjs-node-gpu version the CUDA table knows, and installs that version's CUDA and cuDNN", () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const requirement = tfjsNodeGpuCuda[pinned];
    if (requirement === undefined) throw new Error(`${pinned} is not in the CUDA table`);
    const stages = parseDockerfile(dockerfile).stages;
    const cuda = stages.find((stage) => stage.name === 'cuda');
    expect(cuda?.from).toBe(requirement.baseImage);
    const install = instructionsOf(cuda ?? { from: '', instructions: [] }, 'RUN')
      .map((run) => run.args)
      .join(' ');
    for (const name of [...cudaRuntimePackages(requirement.cuda), cudnnPackage(requirement)]) {
      expect(install.split(/\s+/)).toContain(name);
    }
    // Both the dependency stage (where the binding is built) and the final image sit on it.
    expect(stages.filter((stage) => stage.from === 'cuda').map((stage) => stage.name)).toEqual([
      'deps',
      'trainer',
    ]);
  });

  it('runs the trainer CLI as a non-root user, `--help` by default', () => {
    const stage = finalStage();
    expect(execForm(instructionsOf(stage, 'ENTRYPOINT').at(-1)?.args ?? '')).toEqual([trainerEntrypoint]);
    expect(execForm(instructionsOf(stage, 'CMD').at(-1)?.args ?? '')).toEqual(['--help']);
    expect(instructionsOf(stage, 'USER').at(-1)?.args).toBe('ldam');
    // The symlink target is the package's own bin entry.
    const link = instructionsOf(stage, 'RUN').find((run) =>
      run.args.includes(`/usr/local/bin/${trainerEntrypoint}`),
    );
    expect(link?.args).toContain(`/app/${manifest.bin[trainerEntrypoint]}`);
  });

  it('sets only TrainerEnv names (besides NODE_ENV), selecting the GPU backend', () => {
    const env = Object.assign(
      {},
      ...instructionsOf(finalStage(), 'ENV').map((i) => envAssignments(i.args)),
    ) as Record<string, string>;
    const names = new Set<string>([...Object.values(TrainerEnv), 'NODE_ENV']);
    expect(Object.keys(env).filter((name) => !names.has(name))).toEqual([]);
    expect(env[TrainerEnv.backend]).toBe('tensorflow-gpu');
  });

  it('copies only sources that exist and that the .dockerignore allowlist lets through', () => {
    const patterns = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(patterns[0]).toBe('*');
    const allowed = patterns
      .filter((line) => line.startsWith('!'))
      .map((line) => line.slice(1).replace(/\/$/, ''));
    for (const excluded of ['node_modules', '.data', '.git', 'cdk.out', 'tests', 'infra']) {
      expect(allowed).not.toContain(excluded);
    }
    const sources = parseDockerfile(dockerfile)
      .stages.flatMap((stage) => instructionsOf(stage, 'COPY'))
      .filter((copy) => !copy.args.startsWith('--from'))
      .flatMap((copy) => copy.args.split(/\s+/).slice(0, -1));
    expect([...new Set(sources)].sort()).toEqual([...allowed].sort());
    for (const source of sources) expect(existsSync(new URL(source, root)), source).toBe(true);
  });
});

describe('trainerDockerfileProblems catches', () => {
  const mutate = (from: string, to: string) => {
    expect(dockerfile).toContain(from);
    return trainerDockerfileProblems(dockerfile.replaceAll(from, to), facts);
  };

  it('CUDA or cuDNN packages that do not match libtensorflow, and a missing library check', () => {
    expect(mutate('-11-2 ', '-12-2 ')).toEqual(
      expect.arrayContaining(['the CUDA stage does not install cuda-cudart-11-2 (libtensorflow 2.9.1)']),
    );
    expect(mutate('libcudnn8=8.1.1.33-1+cuda11.2', 'libcudnn8=8.9.7.29-1+cuda12.2')).toContain(
      'the CUDA stage does not install libcudnn8=8.1.1.33-1+cuda11.2 (libtensorflow 2.9.1)',
    );
    expect(mutate('FROM cuda AS trainer', 'FROM ubuntu:20.04 AS trainer')).toContain(
      'no stage the final image is built on installs the CUDA runtime (cuda-cudart-*)',
    );
    expect(
      mutate('NVIDIA_DRIVER_CAPABILITIES=compute,utility', 'NVIDIA_DRIVER_CAPABILITIES=utility'),
    ).toContain('NVIDIA_DRIVER_CAPABILITIES must include compute, or the toolkit mounts no CUDA driver');
  });

  it('a Node other than 22', () => {
    expect(mutate('FROM node:22.', 'FROM node:20.').join('\n')).toMatch(
      /Node 20 in node:20\..*needs Node 22/,
    );
  });

  it('dev dependencies and a skipped tfjs-node-gpu install script', () => {
    const problems = mutate(' --omit=dev', '');
    expect(problems).toContain('`npm ci` without --omit=dev ships dev dependencies');
    expect(
      mutate('allow-scripts=@tensorflow/tfjs-node-gpu\\n', 'allow-scripts=esbuild\\n').join('\n'),
    ).toMatch(/does not allow @tensorflow\/tfjs-node-gpu's install script/);
  });

  it('root, another entrypoint, a stray ENV name, no GPU check, another uid and a wrong image title', () => {
    const all = [
      ...mutate('USER ldam', 'USER root'),
      ...mutate('ENTRYPOINT ["ldam"]', 'ENTRYPOINT ["node", "bin/ldam.mjs"]'),
      ...mutate('NODE_ENV=production', 'LDAM_BACKNED=production'),
      ...mutate('RUN ldam gpu-check --no-gpu', 'RUN ldam --version'),
      ...mutate(`node -e "require('sharp')"`, 'node --version'),
      ...mutate('--uid 10001', '--uid 1000'),
      ...mutate(`title="${trainerImageName}"`, 'title="other"'),
    ];
    expect(all).toEqual(
      expect.arrayContaining([
        'the final stage runs as root',
        `ENTRYPOINT must be ["${trainerEntrypoint}"] in exec form`,
        'ENV LDAM_BACKNED is not a TrainerEnv name',
        `the final stage never runs \`${trainerEntrypoint} gpu-check --no-gpu\` at build time`,
        'the final stage never loads sharp (the JPEG decoder) at build time',
        `the trainer user must have uid ${trainerUid} (the host's CUDA cache directory is owned by it)`,
        `image title label other is not ${trainerImageName}`,
      ]),
    );
  });

  it('a tfjs-node-gpu version missing from the CUDA table', () => {
    expect(trainerDockerfileProblems(dockerfile, { tfjsNodeGpuVersion: '5.0.0' }).join('\n')).toMatch(
      /5\.0\.0 is not in the CUDA table/,
    );
  });
});
