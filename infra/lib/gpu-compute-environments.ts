// Two managed EC2 compute environments of GPU instances with the ECS GPU AMI: spot first, on-demand
// as the fallback the queue turns to when spot capacity is short. Both scale to zero when idle.
import {
  AllocationStrategy,
  type EcsMachineImageType,
  ManagedEc2EcsComputeEnvironment,
  type OrderedComputeEnvironment,
} from 'aws-cdk-lib/aws-batch';
import {
  InstanceType,
  type ISecurityGroup,
  type IVpc,
  LaunchTemplate,
  MultipartBody,
  MultipartUserData,
  SubnetType,
  UserData,
} from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { cudaCacheHostCommands } from './cuda-cache.ts';
import { infraDefaults } from './defaults.ts';
import { acknowledgeNag } from './nag-acknowledgements.ts';

export type GpuComputeEnvironmentsProps = {
  readonly vpc: IVpc;
  readonly securityGroup: ISecurityGroup;
  /**
   * GPU instance types either environment may launch (see gpu-instances.ts for the known ones).
   * @default defaultGpuInstanceTypes: g4dn.xlarge, g5.xlarge, g4dn.2xlarge, g5.2xlarge
   */
  readonly instanceTypes?: readonly string[];
  /**
   * Upper bound of vCPUs each environment runs at once (the cost ceiling: 16 = four xlarge GPUs).
   * @default 16
   */
  readonly maxvCpus?: number;
  /**
   * Highest spot price to pay, as a percentage of the on-demand price.
   * @default 100
   */
  readonly spotBidPercentage?: number;
  /**
   * ECS-optimised GPU AMI family (NVIDIA driver and container toolkit included).
   * @default EcsMachineImageType.ECS_AL2023_NVIDIA
   */
  readonly machineImageType?: EcsMachineImageType;
};

export class GpuComputeEnvironments extends Construct {
  readonly spot: ManagedEc2EcsComputeEnvironment;
  readonly onDemand: ManagedEc2EcsComputeEnvironment;
  /** Spot (order 1) then on-demand (order 2): the order a job queue should try them in. */
  readonly ordered: OrderedComputeEnvironment[];

  constructor(scope: Construct, id: string, props: GpuComputeEnvironmentsProps) {
    super(scope, id);
    const instanceTypes = (props.instanceTypes ?? infraDefaults.gpuInstanceTypes).map(
      (type) => new InstanceType(type),
    );
    const imageType = props.machineImageType ?? infraDefaults.machineImageType;
    // IMDSv2 only: containers get credentials from the ECS task role endpoint, not instance metadata.
    const launchTemplate = new LaunchTemplate(this, 'LaunchTemplate', {
      requireImdsv2: true,
      userData: instanceUserData(),
    });
    const common = {
      vpc: props.vpc,
      vpcSubnets: { subnetType: SubnetType.PUBLIC },
      securityGroups: [props.securityGroup],
      instanceTypes,
      useOptimalInstanceClasses: false,
      images: [{ imageType }],
      minvCpus: 0,
      maxvCpus: props.maxvCpus ?? infraDefaults.maxvCpus,
      launchTemplate,
      // New AMI releases (driver fixes) replace idle instances instead of needing a new environment.
      updateToLatestImageVersion: true,
    };
    this.spot = new ManagedEc2EcsComputeEnvironment(this, 'Spot', {
      ...common,
      spot: true,
      spotBidPercentage: props.spotBidPercentage ?? infraDefaults.spotBidPercentage,
      allocationStrategy: AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED,
    });
    this.onDemand = new ManagedEc2EcsComputeEnvironment(this, 'OnDemand', {
      ...common,
      allocationStrategy: AllocationStrategy.BEST_FIT_PROGRESSIVE,
    });
    this.ordered = [
      { computeEnvironment: this.spot, order: 1 },
      { computeEnvironment: this.onDemand, order: 2 },
    ];
    acknowledgeNag(
      this,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]',
      'The policy AWS Batch documents for the ECS agent on managed instances (register, pull from ECR, ' +
        'ship logs); it is the instance role, the job itself runs with its own role.',
    );
  }
}

/** Batch merges a launch template's user data only in MIME multi-part form. */
function instanceUserData(): MultipartUserData {
  const commands = UserData.forLinux();
  commands.addCommands(...cudaCacheHostCommands());
  const userData = new MultipartUserData();
  userData.addPart(MultipartBody.fromUserData(commands));
  return userData;
}
