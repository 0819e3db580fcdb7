import { S3Store } from '../../../trainer/store/s3-store.ts';
import { describeStoreContract } from './store-contract.ts';

// MinIO honours If-None-Match, so this run exercises real S3 conditional writes; it needs a
// Docker engine and is skipped, with the reason printed, where none exists.
describeStoreContract('MinIO through testcontainers (real conditional writes)', async () => {
  let started: import('@testcontainers/minio').StartedMinioContainer;
  try {
    const { MinioContainer } = await import('@testcontainers/minio');
    started = await new MinioContainer('minio/minio:RELEASE.2025-04-22T22-12-26Z').start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/container runtime/i.test(message)) return `no container runtime (${message})`;
    throw error;
  }
  const make = (): S3Store =>
    new S3Store({
      bucket: 'contract-bucket',
      endpoint: started.getConnectionUrl(),
      forcePathStyle: true,
      credentials: { accessKeyId: started.getUsername(), secretAccessKey: started.getPassword() },
      conditionalWrites: true,
      retry: { deadlineMs: 5000 },
    });
  const stores = [make(), make()] as const;
  await stores[0].ensureBucket();
  return {
    stores,
    teardown: async () => {
      for (const s of stores) s.close();
      await started.stop();
    },
  };
});
