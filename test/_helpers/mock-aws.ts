import { ACMClient } from '@aws-sdk/client-acm';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EC2InstanceConnectClient } from '@aws-sdk/client-ec2-instance-connect';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
// the matchers are installed by jest.config.js; importing here gives every test their types.
import 'aws-sdk-client-mock-jest';

/**
 * One mock per AWS client the CLI uses. Call {@link resetAwsMocks} in `beforeEach`; mocks answer
 * every client instance, so commands build their clients as they do in production.
 */
export const aws = {
  acm: mockClient(ACMClient),
  autoScaling: mockClient(AutoScalingClient),
  logs: mockClient(CloudWatchLogsClient),
  ec2: mockClient(EC2Client),
  instanceConnect: mockClient(EC2InstanceConnectClient),
  ecr: mockClient(ECRClient),
  ecs: mockClient(ECSClient),
  elbv2: mockClient(ElasticLoadBalancingV2Client),
  route53: mockClient(Route53Client),
  ssm: mockClient(SSMClient),
};

/** Resets every mock: no handlers, no recorded calls. */
export function resetAwsMocks(): void {
  for (const mock of Object.values(aws)) mock.reset();
}
