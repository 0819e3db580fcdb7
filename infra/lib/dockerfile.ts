// A small Dockerfile reader: enough structure (stages, instructions, exec form, ENV pairs) to check
// the trainer image offline, where no Docker engine exists to build it.

export type DockerInstruction = {
  /** Upper-cased keyword: FROM, RUN, ENV, ... */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined with a space. */
  readonly args: string;
  /** 1-based line the instruction starts on. */
  readonly line: number;
};

export type DockerStage = {
  /** Image (or earlier stage) named by FROM, flags such as --platform removed. */
  readonly from: string;
  /** The `AS <name>` of the stage, when given. */
  readonly name?: string;
  readonly instructions: readonly DockerInstruction[];
};

export type Dockerfile = {
  /** ARG/comment-free instructions before the first FROM. */
  readonly preamble: readonly DockerInstruction[];
  readonly stages: readonly DockerStage[];
};

/** Joins `\` continuations, drops comments and blank lines, returns one entry per instruction. */
export function dockerInstructions(text: string): DockerInstruction[] {
  const instructions: DockerInstruction[] = [];
  let pending: { parts: string[]; line: number } | undefined;
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const trimmed = raw.trim();
    // Comment lines inside a continuation are dropped by Docker too.
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const continues = trimmed.endsWith('\\');
    const body = continues ? trimmed.slice(0, -1).trim() : trimmed;
    if (pending === undefined) pending = { parts: [], line: index + 1 };
    pending.parts.push(body);
    if (continues) continue;
    const joined = pending.parts.filter((part) => part !== '').join(' ');
    const match = /^(\S+)\s*(.*)$/.exec(joined);
    if (match?.[1] !== undefined) {
      instructions.push({ keyword: match[1].toUpperCase(), args: match[2] ?? '', line: pending.line });
    }
    pending = undefined;
  }
  return instructions;
}

export function parseDockerfile(text: string): Dockerfile {
  const preamble: DockerInstruction[] = [];
  const stages: { from: string; name?: string; instructions: DockerInstruction[] }[] = [];
  for (const instruction of dockerInstructions(text)) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const from = words[0] ?? '';
      const asIndex = words.findIndex((word) => word.toUpperCase() === 'AS');
      const name = asIndex >= 0 ? words[asIndex + 1] : undefined;
      stages.push(name === undefined ? { from, instructions: [] } : { from, name, instructions: [] });
      continue;
    }
    const current = stages.at(-1);
    if (current === undefined) preamble.push(instruction);
    else current.instructions.push(instruction);
  }
  return { preamble, stages };
}

/** The JSON array of an exec-form ENTRYPOINT/CMD, or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.trimStart().startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed;
  } catch {
    return undefined;
  }
  return undefined;
}

/** `ENV A=1 B="two words"` (and the legacy `ENV A 1`) as a record. */
export function envAssignments(args: string): Record<string, string> {
  const env: Record<string, string> = {};
  const trimmed = args.trim();
  const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+([^=]*)$/.exec(trimmed);
  if (legacy?.[1] !== undefined && !trimmed.includes('=')) {
    env[legacy[1]] = (legacy[2] ?? '').trim();
    return env;
  }
  const pair = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
  for (const match of trimmed.matchAll(pair)) {
    const [, key, value] = match;
    if (key === undefined || value === undefined) continue;
    env[key] = /^["']/.test(value) ? value.slice(1, -1) : value;
  }
  return env;
}

/** Instructions of one keyword in a stage, in order. */
export function instructionsOf(stage: DockerStage, keyword: string): DockerInstruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword.toUpperCase());
}
