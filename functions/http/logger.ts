// Structured logs: one JSON object per line, written to an injected sink (stdout in the entry points).

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function jsonLogger(write: (line: string) => void, clock: () => Date = () => new Date()): Logger {
  const log =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      write(`${JSON.stringify({ time: clock().toISOString(), level, message, ...fields })}\n`);
  return { info: log('info'), error: log('error') };
}

/** Discards everything (tests that do not look at logs). */
export const silentLogger: Logger = { info: () => undefined, error: () => undefined };
