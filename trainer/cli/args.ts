/** A command-line usage error (exit 2 with the usage text). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Parses `--name value` and `--name=value` options; every option takes a value and may appear
 * once; positional arguments are rejected.
 */
export function parseOptions<const Names extends readonly string[]>(
  args: readonly string[],
  names: Names,
): Partial<Record<Names[number], string>> {
  const known = new Set<string>(names);
  const values: Partial<Record<string, string>> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (!known.has(name)) throw new UsageError(`unknown option '--${name}'`);
    if (values[name] !== undefined) throw new UsageError(`option '--${name}' given twice`);
    const value = eq < 0 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '') throw new UsageError(`option '--${name}' needs a value`);
    values[name] = value;
  }
  return values as Partial<Record<Names[number], string>>;
}
