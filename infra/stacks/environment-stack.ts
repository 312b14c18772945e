import { Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { type Construct } from 'constructs';
import type { BerthConfig, EnvironmentConfig } from '../config';
import { Capacity } from '../constructs/capacity';
import { LogsKey } from '../constructs/logs-key';

/** Properties of {@link EnvironmentStack}. */
export interface EnvironmentStackProps extends StackProps {
  /** the validated berth config. */
  readonly config: BerthConfig;
  /** the environment this stack runs. */
  readonly environment: EnvironmentConfig;
  /** the shared VPC. */
  readonly vpc: ec2.IVpc;
  /** the subnets instances and tasks are placed in. */
  readonly instanceSubnets: ec2.SubnetSelection;
  /** the shared image repository. */
  readonly repository: ecr.IRepository;
}

/**
 * Everything one environment needs and nothing another needs: deploying `pre` never changes a `live`
 * resource. The same class serves both environments; only the config differs.
 */
export class EnvironmentStack extends Stack {
  /** the environment's compute: cluster, launch template, Auto Scaling group, capacity provider. */
  readonly capacity: Capacity;
  /** the key every log group of the environment is encrypted with. */
  readonly logsKey: kms.IKey;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id, props);
    const { environment } = props;
    Tags.of(this).add('berth:environment', environment.name);

    this.logsKey = new LogsKey(this, 'LogsKey', { purpose: `the ${environment.name} log groups` }).key;
    this.capacity = new Capacity(this, 'Capacity', {
      vpc: props.vpc,
      instanceSubnets: props.instanceSubnets,
      environment,
      logsKey: this.logsKey,
    });
  }
}
