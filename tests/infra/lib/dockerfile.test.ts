import { describe, expect, it } from 'vitest';
import {
  dockerInstructions,
  envAssignments,
  execForm,
  instructionsOf,
  parseDockerfile,
} from '../../../infra/lib/dockerfile.ts';

const sample = [
  '# syntax=docker/dockerfile:1',
  'ARG BASE=x',
  'FROM --platform=linux/amd64 node:22-slim AS node',
  '',
  'FROM ubuntu:22.04 AS build',
  'RUN apt-get update \\',
  '# a comment inside a continuation',
  ' && apt-get install -y make \\',
  ' && echo done',
  'env A=1 B="two words"',
  'FROM build',
  'ENTRYPOINT ["ldam"]',
  'CMD echo hi',
].join('\n');

describe('dockerInstructions', () => {
  it('joins continuation lines, drops comments and upper-cases keywords', () => {
    const run = dockerInstructions(sample).find((instruction) => instruction.keyword === 'RUN');
    expect(run).toEqual({
      keyword: 'RUN',
      args: 'apt-get update && apt-get install -y make && echo done',
      line: 6,
    });
    expect(dockerInstructions(sample).map((instruction) => instruction.keyword)).toEqual([
      'ARG',
      'FROM',
      'FROM',
      'RUN',
      'ENV',
      'FROM',
      'ENTRYPOINT',
      'CMD',
    ]);
  });
});

describe('parseDockerfile', () => {
  it('splits stages, keeping names and dropping FROM flags', () => {
    const { preamble, stages } = parseDockerfile(sample);
    expect(preamble.map((instruction) => instruction.keyword)).toEqual(['ARG']);
    expect(stages.map((stage) => [stage.from, stage.name])).toEqual([
      ['node:22-slim', 'node'],
      ['ubuntu:22.04', 'build'],
      ['build', undefined],
    ]);
    const build = stages[1];
    expect(build === undefined ? [] : instructionsOf(build, 'env').map((i) => i.args)).toEqual([
      'A=1 B="two words"',
    ]);
  });
});

describe('execForm', () => {
  it('reads the JSON form and refuses the shell form or non-string arrays', () => {
    expect(execForm('["ldam", "train"]')).toEqual(['ldam', 'train']);
    expect(execForm('ldam train')).toBeUndefined();
    expect(execForm('[1, 2]')).toBeUndefined();
    expect(execForm('["unterminated"')).toBeUndefined();
  });
});

describe('envAssignments', () => {
  it('reads key=value pairs with quotes, and the legacy one-pair form', () => {
    expect(envAssignments('A=1 B="two words" C=\'x y\' D=')).toEqual({
      A: '1',
      B: 'two words',
      C: 'x y',
      D: '',
    });
    expect(envAssignments('LDAM_BACKEND tensorflow-gpu')).toEqual({ LDAM_BACKEND: 'tensorflow-gpu' });
  });
});
