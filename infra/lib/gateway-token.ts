// The token the HTTP API adds to every request it proxies to the Function URL, so the Lambda can
// tell throttled gateway traffic from direct Function URL calls and serve the latter only event
// streams (functions/http/gateway-guard.ts). Generated at deploy; the gateway's parameter mapping
// carries it as a dynamic reference and the Lambda reads the secret at run time.
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeNag } from './nag-acknowledgements.ts';

export class GatewayToken extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'ldam-runner: token the HTTP API adds to proxied requests (x-ldam-gateway-token)',
      generateSecretString: { excludePunctuation: true, passwordLength: 48 },
    });
    acknowledgeNag(
      this.secret,
      'AwsSolutions-SMG4',
      'Not a credential: it only lets a request skip the gateway (and its throttle); API keys still ' +
        'authenticate every request. The gateway holds the value CloudFormation resolved at deploy, ' +
        'so a rotation is a new secret (replace this construct), not a rotation function.',
    );
  }

  /** The value as a CloudFormation dynamic reference, resolved at deploy (never in the template). */
  get value(): string {
    return this.secret.secretValue.unsafeUnwrap();
  }

  grantRead(grantee: IGrantable): void {
    this.secret.grantRead(grantee);
  }
}
