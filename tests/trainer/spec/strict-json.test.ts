import { describe, expect, it } from 'vitest';
import { parseExperimentSpecJson, readJson, SpecValidationError } from '../../../trainer/spec/index.ts';

describe('readJson', () => {
  it('refuses a key named twice in one object, naming the key and its path', () => {
    expect(readJson('{"schedule": {"epochs": 2}, "schedule": {"epochs": 9999}}')).toEqual({
      ok: false,
      issue: { path: 'schedule', rule: "duplicate key 'schedule' (each key may appear once in an object)" },
    });
    const nested = readJson('{"a": [{"b": 1}, {"b": 2, "c": {"d": 1, "d": 2}}]}');
    expect(nested).toMatchObject({ ok: false, issue: { path: 'a.1.c.d' } });
  });

  it('reads the same key in different objects, and keeps JSON.parse grammar', () => {
    expect(readJson('{"a": {"x": 1}, "b": {"x": 2}}')).toEqual({
      ok: true,
      value: { a: { x: 1 }, b: { x: 2 } },
    });
    expect(readJson('{"a": 1, // no comments\n}')).toMatchObject({ ok: false, issue: { path: '' } });
    expect(readJson('{"a": 1,}')).toMatchObject({
      ok: false,
      issue: { rule: expect.stringMatching(/^malformed JSON/) },
    });
  });

  it('is what spec files are parsed with', () => {
    const text = '{"version": 1, "dataset": {"name": "cifar10"}, "dataset": {"name": "mnist"}}';
    expect(() => parseExperimentSpecJson(text)).toThrow(SpecValidationError);
    expect(() => parseExperimentSpecJson(text)).toThrow(/dataset: duplicate key 'dataset'/);
  });
});
