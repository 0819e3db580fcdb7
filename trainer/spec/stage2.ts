import { z } from 'zod';
import { isValidJobId } from '../store/keys.ts';

// Classifier re-training, cRT (Kang et al., "Decoupling Representation and Classifier for
// Long-Tailed Recognition", ICLR 2020, §4): a second stage that starts from a finished job's
// features, frozen, and trains only a re-initialised classifier. The stage's epochs, learning rate
// and sampler are the job's own `schedule`, `optimizer` and `rebalance` (the `crt` preset sets
// class-balanced sampling), so every reader of the spec (progress, ETA, cost guard) stays right.

export const stage2Schema = z.strictObject({
  /** The finished job (same owner) whose last checkpoint gives the features. */
  fromJob: z
    .string()
    .refine(isValidJobId, { message: 'a job id is 3–64 of [a-z0-9-], starting alphanumeric' }),
});
export type Stage2Spec = z.infer<typeof stage2Schema>;
