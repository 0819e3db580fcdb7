import { describe, expect, it } from 'vitest';
import {
  checkedRelativePath,
  datasetKey,
  InvalidKeyError,
  isValidJobId,
  jobIdTime,
  newJobId,
  runKey,
} from '../../../trainer/store/keys.ts';

describe('runKey / datasetKey', () => {
  it('builds keys under runs/<jobId>/ and datasets/<name>/', () => {
    expect(runKey('j-abc')).toBe('runs/j-abc/');
    expect(runKey('j-abc', 'events', 'api', '0000000001.jsonl')).toBe(
      'runs/j-abc/events/api/0000000001.jsonl',
    );
    expect(runKey('j-abc', 'checkpoints/epoch-0001', 'model.json')).toBe(
      'runs/j-abc/checkpoints/epoch-0001/model.json',
    );
    expect(datasetKey('cifar-lt', 'train/0/a.png')).toBe('datasets/cifar-lt/train/0/a.png');
  });

  it.each(['..', 'a/../b', '/abs', 'a\\b', 'a//b', 'a/', '', '.', 'a b', 'x/\0'])(
    'refuses the part %j',
    (part) => {
      expect(() => runKey('j-abc', part)).toThrow(InvalidKeyError);
      expect(() => datasetKey('data', part)).toThrow(InvalidKeyError);
    },
  );

  it.each(['', 'ab', 'A-bc', '-abc', 'a_bc', '../x', 'a'.repeat(65), 'abc/def'])(
    'refuses the id %j',
    (id) => {
      expect(isValidJobId(id)).toBe(false);
      expect(() => runKey(id)).toThrow(InvalidKeyError);
      expect(() => datasetKey(id)).toThrow(InvalidKeyError);
    },
  );

  it('validates relative dataset paths segment by segment', () => {
    expect(checkedRelativePath('train/cat/001.png')).toBe('train/cat/001.png');
    expect(() => checkedRelativePath('../etc/passwd')).toThrow(InvalidKeyError);
  });
});

describe('newJobId', () => {
  it('is a valid id that sorts by creation time and decodes back to it', () => {
    const earlier = newJobId(Date.UTC(2026, 0, 1));
    const later = newJobId(Date.UTC(2026, 0, 1, 0, 0, 1));
    expect(isValidJobId(earlier)).toBe(true);
    expect(earlier < later).toBe(true);
    expect(jobIdTime(later)?.toISOString()).toBe('2026-01-01T00:00:01.000Z');
    expect(jobIdTime('hand-made-id')).toBeUndefined();
  });

  it('differs between calls in the same millisecond', () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 200 }, () => newJobId(now)));
    expect(ids.size).toBe(200);
  });
});
