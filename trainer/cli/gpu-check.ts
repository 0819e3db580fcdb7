// `ldam gpu-check [--no-gpu]`: the trainer's start-up GPU check on its own. In the GPU image's build
// (no GPU there) `--no-gpu` proves what can be proven without one: the GPU build of libtensorflow
// loads, every CUDA library it opens resolves, and an op runs.
import { checkGpuBackend, GpuUnavailableError } from '../engine/index.ts';
import { ExitCode } from '../process/exit-codes.ts';

const usage = `usage: ldam gpu-check [--no-gpu]

Loads @tensorflow/tfjs-node-gpu and checks the GPU device nodes, the CUDA driver, the CUDA
libraries and that a small op runs on GPU:0. --no-gpu skips what needs a GPU (image builds).
Exit 0 when usable, ${ExitCode.gpuUnavailable} naming every problem otherwise.
`;

export async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(usage);
    return ExitCode.ok;
  }
  const unknown = args.filter((arg) => arg !== '--no-gpu');
  if (unknown.length > 0) {
    process.stderr.write(`ldam gpu-check: unknown argument ${unknown[0]}\n${usage}`);
    return ExitCode.invalidSpec;
  }
  const mode = args.includes('--no-gpu') ? 'no-gpu' : 'gpu';
  try {
    const selected = await checkGpuBackend(process.env, mode);
    process.stdout.write(`${JSON.stringify({ ok: true, mode, device: selected.device })}\n`);
    return ExitCode.ok;
  } catch (error) {
    if (!(error instanceof GpuUnavailableError)) throw error;
    process.stderr.write(`ldam gpu-check: ${error.message}\n`);
    return ExitCode.gpuUnavailable;
  }
}
