// The trainer process contract shared by the runners (functions/runners), the container image
// (Dockerfile.gpu) and the infrastructure (infra/): one place for names both sides must agree on.

/** The CLI inside the image; runners pass `train --job <id>` as its arguments. */
export const trainerEntrypoint = 'ldam';
export function trainArgs(jobId: string): string[] {
  return ['train', '--job', jobId];
}

/** Environment variables the trainer reads. */
export const TrainerEnv = {
  /** S3 endpoint URL; unset means AWS S3 (in a container) or the embedded server (locally). */
  s3Endpoint: 'S3_ENDPOINT',
  s3Bucket: 'S3_BUCKET',
  s3Region: 'S3_REGION',
  /** 'true' for MinIO and the embedded server. */
  s3ForcePathStyle: 'S3_FORCE_PATH_STYLE',
  s3AccessKeyId: 'S3_ACCESS_KEY_ID',
  s3SecretAccessKey: 'S3_SECRET_ACCESS_KEY',
  /** 'false' when the backend ignores If-None-Match (the embedded server); default true. */
  s3ConditionalWrites: 'S3_CONDITIONAL_WRITES',
  /** tensorflow-gpu | tensorflow | onednn | wasm | cpu; unset = the best that loads. */
  backend: 'LDAM_BACKEND',
  /** OpenMP threads of the onednn backend (default: min(spec resources.cpus, available parallelism)). */
  threads: 'LDAM_THREADS',
  /**
   * MiB a training step may use (default 3072 on wasm, unlimited elsewhere); a smaller value splits
   * batches into micro-batches with gradient accumulation, or fails the run if one example does not fit.
   */
  memoryBudgetMb: 'LDAM_MEMORY_BUDGET_MB',
  /** Colon-separated local directories (and s3:// prefixes) datasets may be read from. */
  dataRoots: 'LDAM_DATA_ROOTS',
  /** Where Fashion-MNIST's IDX files are (default: Debian's /usr/share/datasets/fashion-mnist). */
  fashionMnistDir: 'LDAM_FASHION_MNIST_DIR',
  /** Seconds between SIGTERM and exit 75 (default 25). */
  graceSeconds: 'LDAM_GRACE_SECONDS',
  /** Seconds the trainer keeps retrying an unreachable store before exiting 1 (default 300). */
  storeDeadlineSeconds: 'LDAM_STORE_DEADLINE_SECONDS',
  /** Project data directory for the embedded S3 server and caches (default ./.data). */
  dataDir: 'LDAM_DATA_DIR',
  /** 'true': the trainer ships its own stdout/stderr to runs/<jobId>/logs/ (containers; the local runner ships them itself). */
  shipLogs: 'LDAM_SHIP_LOGS',
} as const;

/** Default bucket of the embedded server and of local development. */
export const defaultBucket = 'ldam-runner';

/** Environment variables of the API server / Lambda (functions/). */
export const ApiEnv = {
  host: 'HOST',
  port: 'PORT',
  /** local | docker | aws-batch (default local). */
  runner: 'LDAM_RUNNER',
  /** Comma-separated `owner:token` pairs; unset = no auth, loopback only. */
  apiKeys: 'LDAM_API_KEYS',
  /** Secrets Manager secret (ARN or name) holding the keys, read at run time instead of LDAM_API_KEYS (the deployed stack). */
  apiKeysSecret: 'LDAM_API_KEYS_SECRET',
  /** Secrets Manager secret holding the token the HTTP API adds to every request it proxies (Lambda only): without it, the Function URL serves only event streams. */
  gatewayTokenSecret: 'LDAM_GATEWAY_TOKEN_SECRET',
  /** Jobs running at once on the local runner (default 1). */
  maxConcurrentJobs: 'LDAM_MAX_CONCURRENT_JOBS',
  /** Per-key limit on active (non-terminal) jobs (default 4). */
  maxActiveJobsPerKey: 'LDAM_MAX_ACTIVE_JOBS_PER_KEY',
  /** Cost guard: the longest estimated run, in seconds, this runner accepts. */
  maxEstimatedSeconds: 'LDAM_MAX_ESTIMATED_SECONDS',
  batchJobQueue: 'LDAM_BATCH_JOB_QUEUE',
  batchJobDefinition: 'LDAM_BATCH_JOB_DEFINITION',
  /** The stack's limit on one Batch attempt, in minutes: attempts run min(spec timeoutMinutes, it). */
  batchAttemptTimeoutMinutes: 'LDAM_BATCH_ATTEMPT_TIMEOUT_MINUTES',
  dockerImage: 'LDAM_DOCKER_IMAGE',
  /** api | store: artifact download URLs through the API or presigned by the store (default: api for a loopback or embedded store). */
  artifactUrls: 'LDAM_ARTIFACT_URLS',
  /** Price of one device-hour, for benchmark cost columns (optional). */
  pricePerDeviceHour: 'LDAM_PRICE_PER_DEVICE_HOUR',
  /** Extra Host/Origin names a key-less server answers (comma-separated; `*` = any). */
  allowedHosts: 'LDAM_ALLOWED_HOSTS',
} as const;

/** The GPU trainer image built from Dockerfile.gpu. */
export const trainerImageName = 'ldam-runner-gpu';
/** The image's non-root trainer user (Dockerfile.gpu); host directories it writes are made for it. */
export const trainerUid = 10001;
/** AWS Batch job definitions take the job id as a parameter: command ['train', '--job', 'Ref::jobId']. */
export const batchJobIdParameter = 'jobId';
