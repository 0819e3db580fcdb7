import { describe, expect, it } from 'vitest';
import {
  cudaInstallProblems,
  cudaRuntimePackages,
  cudnnPackage,
  tfjsNodeGpuCuda,
} from '../../../infra/lib/cuda-compat.ts';

const requirement = tfjsNodeGpuCuda['4.22.0'];
const install = (cuda: string, cudnn: string) =>
  `apt-get install -y cuda-cudart-${cuda} libcublas-${cuda} libcufft-${cuda} libcurand-${cuda} ` +
  `libcusolver-${cuda} libcusparse-${cuda} ${cudnn} && apt-mark hold libcudnn8`;

describe('the CUDA table', () => {
  it('maps tfjs-node-gpu 4.22.0 to libtensorflow 2.9.1 on CUDA 11.2 / cuDNN 8.1', () => {
    expect(requirement).toMatchObject({ libtensorflow: '2.9.1', cuda: '11.2', baseImage: 'ubuntu:20.04' });
    expect(requirement?.cudnn).toMatch(/^8\.1\./);
    expect(requirement?.sonames).toEqual(expect.arrayContaining(['libcudart.so.11.0', 'libcudnn.so.8']));
  });

  it('names the apt packages: runtime libraries per CUDA minor, cuDNN pinned to its CUDA', () => {
    expect(cudaRuntimePackages('11.2')).toEqual([
      'cuda-cudart-11-2',
      'libcublas-11-2',
      'libcufft-11-2',
      'libcurand-11-2',
      'libcusolver-11-2',
      'libcusparse-11-2',
    ]);
    if (requirement !== undefined) expect(cudnnPackage(requirement)).toBe('libcudnn8=8.1.1.33-1+cuda11.2');
  });
});

describe('cudaInstallProblems', () => {
  it('accepts the packages the table asks for on its base image', () => {
    expect(
      cudaInstallProblems('4.22.0', 'ubuntu:20.04', install('11-2', 'libcudnn8=8.1.1.33-1+cuda11.2')),
    ).toEqual([]);
  });

  it('names another CUDA, another cuDNN, another OS and an unknown package version', () => {
    expect(
      cudaInstallProblems('4.22.0', 'ubuntu:20.04', install('12-2', 'libcudnn8=8.1.1.33-1+cuda11.2')),
    ).toEqual(
      expect.arrayContaining([
        'the CUDA stage does not install cuda-cudart-11-2 (libtensorflow 2.9.1)',
        expect.stringMatching(/installs CUDA 12\.2.*needs 11\.2/),
      ]),
    );
    expect(
      cudaInstallProblems('4.22.0', 'ubuntu:20.04', install('11-2', 'libcudnn8=8.9.7.29-1+cuda12.2')),
    ).toEqual(['the CUDA stage does not install libcudnn8=8.1.1.33-1+cuda11.2 (libtensorflow 2.9.1)']);
    expect(
      cudaInstallProblems('4.22.0', 'ubuntu:22.04', install('11-2', 'libcudnn8=8.1.1.33-1+cuda11.2'))[0],
    ).toMatch(/built on ubuntu:22\.04/);
    expect(cudaInstallProblems('9.9.9', 'ubuntu:20.04', '')[0]).toMatch(/not in the CUDA table/);
  });
});
