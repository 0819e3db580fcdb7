// A reader's position as a compact string for SSE `id:` lines: 'a<seq>.t<seq>' (api, trainer),
// e.g. 'a3.t120'; '' is the start. Decoding validates, since the string comes back from clients.

import type { LogPosition, WriterId } from './types.ts';

const letterOf: Record<WriterId, string> = { api: 'a', trainer: 't' };
const writerOf: Record<string, WriterId> = { a: 'api', t: 'trainer' };

/** The position string is not one `encodePosition` produces. */
export class InvalidLogPositionError extends Error {
  constructor(text: string, reason: string) {
    super(`invalid event log position '${text.slice(0, 40)}': ${reason}`);
    this.name = 'InvalidLogPositionError';
  }
}

export function encodePosition(position: LogPosition): string {
  const parts: string[] = [];
  for (const writer of ['api', 'trainer'] as const) {
    const seq = position[writer];
    if (seq !== undefined && seq > 0) parts.push(`${letterOf[writer]}${seq}`);
  }
  return parts.join('.');
}

export function decodePosition(text: string): LogPosition {
  if (text === '') return {};
  if (text.length > 40) throw new InvalidLogPositionError(text, 'too long');
  const position: { -readonly [W in WriterId]?: number } = {};
  for (const part of text.split('.')) {
    const match = /^([at])([1-9][0-9]{0,14})$/.exec(part);
    const writer = match?.[1] === undefined ? undefined : writerOf[match[1]];
    if (writer === undefined || match?.[2] === undefined)
      throw new InvalidLogPositionError(text, `bad part '${part}'`);
    if (position[writer] !== undefined) throw new InvalidLogPositionError(text, `writer '${writer}' twice`);
    position[writer] = Number(match[2]);
  }
  return position;
}
