// `ldam`: one CLI, subcommands loaded on demand so `ldam train` in the trainer image never loads
// the API and `ldam serve` never loads training code it does not use.

type CommandModule = { main(args: string[]): Promise<number> };

const commands: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  train: {
    summary: 'train one experiment (the trainer process)',
    load: () => import('../../trainer/cli/train.ts'),
  },
  evaluate: {
    summary: 'evaluate a checkpoint on a dataset',
    load: () => import('../../trainer/cli/evaluate.ts'),
  },
  datasets: {
    summary: 'datasets upload <dir> <name>: copy a dataset into the bucket',
    load: () => import('../../trainer/cli/datasets.ts'),
  },
  'gpu-check': {
    summary: 'check the GPU the trainer would use ([--no-gpu] in image builds)',
    load: () => import('../../trainer/cli/gpu-check.ts'),
  },
  serve: {
    summary: 'start the API with the embedded S3 server and the local runner',
    load: () => import('./serve.ts'),
  },
  submit: {
    summary: 'submit <spec.json> [--follow]: submit a job to the API',
    load: () => import('./submit.ts'),
  },
  jobs: { summary: 'list jobs', load: () => import('./jobs.ts') },
  cancel: { summary: 'cancel <jobId>', load: () => import('./cancel.ts') },
  bench: {
    summary: 'run <benchmark.json> [--follow]: run a benchmark grid',
    load: () => import('./bench.ts'),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: ldam <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`ldam: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const module = await command.load();
  return module.main(rest);
}
