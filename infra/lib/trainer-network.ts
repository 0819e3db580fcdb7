// Where the GPU instances run: public subnets only (no NAT gateway to pay for while the fleet is at
// zero), no inbound rules, an S3 gateway endpoint so dataset and checkpoint traffic skips the internet.
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  FlowLogDestination,
  FlowLogTrafficType,
  GatewayVpcEndpointAwsService,
  type IVpc,
  SecurityGroup,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { infraDefaults } from './defaults.ts';

export type TrainerNetworkProps = {
  /**
   * Availability zones to spread instances over (more zones, more spot pools).
   * @default 2
   */
  readonly maxAzs?: number;
  /**
   * Retention of the VPC flow log.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
};

export class TrainerNetwork extends Construct {
  readonly vpc: IVpc;
  /** Outbound only: instances pull the image, talk to S3, Batch/ECS and CloudWatch. */
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: TrainerNetworkProps = {}) {
    super(scope, id);
    const flowLogs = new LogGroup(this, 'FlowLogs', {
      retention: props.logRetention ?? infraDefaults.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const vpc = new Vpc(this, 'Vpc', {
      maxAzs: props.maxAzs ?? 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 20 }],
      gatewayEndpoints: { S3: { service: GatewayVpcEndpointAwsService.S3 } },
      flowLogs: {
        rejected: {
          destination: FlowLogDestination.toCloudWatchLogs(flowLogs),
          trafficType: FlowLogTrafficType.REJECT,
        },
      },
    });
    // Vpc declares vpnGatewayId as `string | undefined`, which exactOptionalPropertyTypes rejects for IVpc.
    this.vpc = vpc as IVpc;
    this.securityGroup = new SecurityGroup(this, 'InstancesSecurityGroup', {
      vpc: this.vpc,
      description: 'GPU trainer instances: no inbound, all outbound',
      allowAllOutbound: true,
    });
  }
}
