// The API's bearer tokens, generated into Secrets Manager at deploy. The Lambda reads the secret at
// run time (functions/secrets/api-keys-secret.ts, cached a minute), so rotating a key is one
// `put-secret-value`; a CloudFormation dynamic reference was resolved only when its text changed.
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { infraDefaults } from './defaults.ts';
import { acknowledgeNag } from './nag-acknowledgements.ts';

export type ApiKeysSecretProps = {
  /**
   * Owner name of the generated key (jobs are attributed to it).
   * @default 'admin'
   */
  readonly owner?: string;
};

export class ApiKeysSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: ApiKeysSecretProps = {}) {
    super(scope, id);
    const owner = props.owner ?? infraDefaults.apiKeyOwner;
    // The API's LDAM_API_KEYS owner pattern (functions/http/auth.ts).
    if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/.test(owner))
      throw new Error(`API key owner '${owner}' is not a valid owner name`);
    this.secret = new Secret(this, 'Secret', {
      description:
        'ldam-runner API keys: {"owner","token"} or {"keys":[{"owner","token"},...]}, read by the API at run time',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ owner }),
        generateStringKey: 'token',
        excludePunctuation: true,
        passwordLength: 48,
      },
    });
    acknowledgeNag(
      this.secret,
      'AwsSolutions-SMG4',
      'Rotation is by hand: put-secret-value with a new token (docs/DEPLOY.md); the Lambda reads the ' +
        'secret at run time. A rotation function would hand out tokens no client knows.',
    );
  }

  /** Read access (GetSecretValue, DescribeSecret) to this secret only. */
  grantRead(grantee: IGrantable): void {
    this.secret.grantRead(grantee);
  }
}
