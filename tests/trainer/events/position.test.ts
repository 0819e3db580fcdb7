import { describe, expect, it } from 'vitest';
import { decodePosition, encodePosition, InvalidLogPositionError } from '../../../trainer/events/log.ts';

describe('encodePosition / decodePosition', () => {
  it.each([
    [{}, ''],
    [{ api: 3 }, 'a3'],
    [{ trainer: 120 }, 't120'],
    [{ api: 2, trainer: 9_999_999 }, 'a2.t9999999'],
  ])('round-trips %j as %j', (position, text) => {
    expect(encodePosition(position)).toBe(text);
    expect(decodePosition(text)).toEqual(position);
  });

  it('drops writers at seq 0 (nothing seen)', () => {
    expect(encodePosition({ api: 0, trainer: 4 })).toBe('t4');
  });

  it.each(['x3', 'a', 'a0', 'a-1', 'a1.a2', 'a1,t2', 'a01', 'a1.', ' a1', 'a1.t2.z3', `a${'9'.repeat(20)}`])(
    'rejects %j',
    (text) => {
      expect(() => decodePosition(text)).toThrow(InvalidLogPositionError);
    },
  );
});
