// The API's bearer tokens, generated into Secrets Manager at deploy and handed to the Lambda as
// LDAM_API_KEYS (`owner:token`) through a CloudFormation dynamic reference: the template never holds it.
import { SecretValue } from 'aws-cdk-lib';
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
  /** `owner:token`, resolved by CloudFormation at deploy time: the value for LDAM_API_KEYS. */
  readonly apiKeysValue: string;

  constructor(scope: Construct, id: string, props: ApiKeysSecretProps = {}) {
    super(scope, id);
    const owner = props.owner ?? infraDefaults.apiKeyOwner;
    // The API's LDAM_API_KEYS owner pattern (functions/http/auth.ts).
    if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/.test(owner))
      throw new Error(`API key owner '${owner}' is not a valid owner name`);
    this.secret = new Secret(this, 'Secret', {
      description: 'ldam-runner API key: {"owner","token"}; the API reads it as LDAM_API_KEYS=owner:token',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ owner }),
        generateStringKey: 'token',
        excludePunctuation: true,
        passwordLength: 48,
      },
    });
    const field = (jsonField: string) =>
      SecretValue.secretsManager(this.secret.secretArn, { jsonField }).unsafeUnwrap();
    this.apiKeysValue = `${field('owner')}:${field('token')}`;
    acknowledgeNag(
      this.secret,
      'AwsSolutions-SMG4',
      'The Lambda receives the key at deploy time, so rotation is: put a new token in the secret, ' +
        'then redeploy (docs/DEPLOY.md); an automatic rotation would silently diverge from the Lambda.',
    );
  }
}
