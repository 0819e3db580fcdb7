import { describe, expect, it } from 'vitest';
import { cudaImageProblems, parseCudaImage, tfjsNodeGpuCuda } from '../../../infra/lib/cuda-compat.ts';

describe('parseCudaImage', () => {
  it('reads CUDA major.minor, cuDNN major and flavour from an nvidia/cuda tag', () => {
    expect(parseCudaImage('nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04')).toEqual({
      cuda: '11.2',
      cudnnMajor: '8',
      flavour: 'runtime',
    });
    expect(parseCudaImage('docker.io/nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04')).toBeUndefined();
    expect(parseCudaImage('node:22-bookworm-slim')).toBeUndefined();
  });
});

describe('cudaImageProblems', () => {
  it("accepts the table's own base image for every entry", () => {
    for (const [version, requirement] of Object.entries(tfjsNodeGpuCuda)) {
      expect(cudaImageProblems(version, requirement.baseImage)).toEqual([]);
    }
  });

  it('names a CUDA or cuDNN mismatch, and an unknown package version', () => {
    expect(cudaImageProblems('4.22.0', 'nvidia/cuda:12.2.2-cudnn8-runtime-ubuntu22.04')).toEqual([
      'base image has CUDA 12.2; libtensorflow 2.9.1 needs 11.2',
    ]);
    expect(cudaImageProblems('4.22.0', 'nvidia/cuda:11.2.2-cudnn9-runtime-ubuntu20.04')).toEqual([
      'base image has cuDNN 9; libtensorflow 2.9.1 needs 8.1',
    ]);
    expect(cudaImageProblems('9.9.9', 'nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04')[0]).toMatch(
      /not in the CUDA table/,
    );
  });
});
