// Where the job definition gets the trainer image: built from Dockerfile.gpu as a CDK asset (needs
// Docker where `cdk deploy` runs), or pushed by hand to the stack's ECR repository (synth needs nothing).
// Locally the image is tagged trainerImageName (trainer/process/contract.ts); the repository's name is the stack's.
import { RemovalPolicy } from 'aws-cdk-lib';
import { Repository, TagMutability } from 'aws-cdk-lib/aws-ecr';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import { ContainerImage } from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';

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
    // No fixed name: CloudFormation names it after the stack, so a second stack (-c stackName=…) or a
    // redeploy after `cdk destroy` never collides with a repository left behind ("already exists").
    const repository = new Repository(this, 'Repository', {
      imageScanOnPush: true,
      imageTagMutability: TagMutability.MUTABLE,
      // Images are rebuilt from the repository's sources; keep the registry from growing without bound.
      lifecycleRules: [{ description: 'Keep the 10 newest images', maxImageCount: 10 }],
      // Images are build outputs (docker build + push again after a redeploy); results live in the
      // retained bucket. Deleted with the stack, images included, so nothing is left to collide.
      removalPolicy: RemovalPolicy.DESTROY,
      emptyOnDelete: true,
    });
    this.repository = repository;
    this.image = ContainerImage.fromEcrRepository(repository, source.tag);
  }
}
