// The HTTP API (API Gateway v2): every request is proxied, path and query intact, to the API's
// Function URL (the Lambda integration cannot carry a streamed response; an HTTP proxy buffers it),
// and Hono does its own routing and authentication. The stage logs every request and caps the rate.
// Each proxied request carries the gateway's token (overwriting any a client sent), without which
// the Lambda serves the Function URL's callers event streams only, and the Function URL itself, so
// the dashboard served here knows where to stream from (functions/http/gateway-guard.ts).
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  HttpApi,
  HttpStage,
  LogGroupLogDestination,
  MappingValue,
  ParameterMapping,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { gatewayHeaders } from '../../functions/http/gateway-guard.ts';
import { infraDefaults } from './defaults.ts';
import { acknowledgeNag } from './nag-acknowledgements.ts';

export type ApiGatewayProps = {
  /** The API function's URL (https://…/, trailing slash). */
  readonly functionUrl: string;
  /** The token proxied requests carry (a dynamic reference: see gateway-token.ts). */
  readonly gatewayToken: string;
  /**
   * Steady-state requests per second across all callers.
   * @default 20
   */
  readonly rateLimit?: number;
  /** @default 40 */
  readonly burstLimit?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
};

export class ApiGateway extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ApiGatewayProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'ldam-runner API',
      defaultIntegration: new HttpUrlIntegration('Hono', props.functionUrl, {
        parameterMapping: new ParameterMapping()
          .overwritePath(MappingValue.requestPath())
          .overwriteHeader(gatewayHeaders.token, MappingValue.custom(props.gatewayToken))
          .overwriteHeader(gatewayHeaders.streamUrl, MappingValue.custom(props.functionUrl)),
      }),
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? infraDefaults.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 20, burstLimit: props.burstLimit ?? 40 },
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs) },
    });
    acknowledgeNag(
      this.httpApi,
      'AwsSolutions-APIG4',
      'The Hono app authenticates every route itself with bearer API keys (LDAM_API_KEYS); a gateway ' +
        'authorizer would duplicate that check and could not cover the Function URL used for SSE.',
    );
  }
}
