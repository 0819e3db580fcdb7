// Where the job definition gets the trainer image: built from Dockerfile.gpu as a CDK asset (needs
// Docker where `cdk deploy` runs), or pushed by hand to the stack's ECR repository (synth needs nothing).
import { RemovalPolicy } from 'aws-cdk-lib';
import { Repository, TagMutability } from 'aws-cdk-lib/aws-ecr';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import { ContainerImage } from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { trainerImageName } from '../../trainer/process/contract.ts';

export type TrainerImageSource =
  | {
      readonly kind: 'asset';
      /** Build context: the repository root (filtered by .dockerignore). */
      readonly directory: string;
      /** @default 'Dockerfile.gpu' */
      readonly file?: string;
    }
  | {
      readonly kind: 'repository';
      /** Tag the job definition runs, e.g. a CloudFormation parameter's value. */
      readonly tag: string;
      /** @default trainerImageName ('ldam-runner-gpu') */
      readonly repositoryName?: string;
    };

export type TrainerImageProps = { readonly source: TrainerImageSource };

export class TrainerImage extends Construct {
  readonly image: ContainerImage;
  /** The repository to push to, in the 'repository' mode. */
  readonly repository?: Repository;

  constructor(scope: Construct, id: string, props: TrainerImageProps) {
    super(scope, id);
    const { source } = props;
    if (source.kind === 'asset') {
      this.image = ContainerImage.fromAsset(source.directory, {
        file: source.file ?? 'Dockerfile.gpu',
        platform: Platform.LINUX_AMD64,
      });
      return;
    }
    const repository = new Repository(this, 'Repository', {
      repositoryName: source.repositoryName ?? trainerImageName,
      imageScanOnPush: true,
      imageTagMutability: TagMutability.MUTABLE,
      // Images are rebuilt from the repository's sources; keep the registry from growing without bound.
      lifecycleRules: [{ description: 'Keep the 10 newest images', maxImageCount: 10 }],
      // Retained on stack deletion so a redeploy finds its images (docs/DEPLOY.md: how to remove it).
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.repository = repository;
    this.image = ContainerImage.fromEcrRepository(repository, source.tag);
  }
}
