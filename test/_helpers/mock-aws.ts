import { ACMClient } from '@aws-sdk/client-acm';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EC2InstanceConnectClient } from '@aws-sdk/client-ec2-instance-connect';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import * as path from 'node:path';
import { type CallResource, COMMAND_ACCESS, type CommandAccess } from '../../infra/duties';
import { afterEveryTest, atEveryFileStart, currentTestFile } from './each-file';
// installs the matchers (the package calls expect.extend when it loads) and gives their types, in every test file
// that mocks AWS through this helper, and only there (jest.config.js does not load it for every file).
import 'aws-sdk-client-mock-jest';

/**
 * One mock per AWS client the CLI uses. Call {@link resetAwsMocks} in `beforeEach`; mocks answer
 * every client instance, so commands build their clients as they do in production.
 */
export const aws = {
  acm: mockClient(ACMClient),
  applicationAutoScaling: mockClient(ApplicationAutoScalingClient),
  autoScaling: mockClient(AutoScalingClient),
  logs: mockClient(CloudWatchLogsClient),
  ec2: mockClient(EC2Client),
  instanceConnect: mockClient(EC2InstanceConnectClient),
  ecr: mockClient(ECRClient),
  ecs: mockClient(ECSClient),
  elbv2: mockClient(ElasticLoadBalancingV2Client),
  iam: mockClient(IAMClient),
  kms: mockClient(KMSClient),
  route53: mockClient(Route53Client),
  secretsManager: mockClient(SecretsManagerClient),
  ssm: mockClient(SSMClient),
  sts: mockClient(STSClient),
};

/** The IAM service prefix of each mocked client's actions (Service Authorization Reference). */
const IAM_PREFIX: Readonly<Record<keyof typeof aws, string>> = {
  acm: 'acm',
  applicationAutoScaling: 'application-autoscaling',
  autoScaling: 'autoscaling',
  logs: 'logs',
  ec2: 'ec2',
  instanceConnect: 'ec2-instance-connect',
  ecr: 'ecr',
  ecs: 'ecs',
  elbv2: 'elasticloadbalancing',
  iam: 'iam',
  kms: 'kms',
  route53: 'route53',
  secretsManager: 'secretsmanager',
  ssm: 'ssm',
  sts: 'sts',
};

/**
 * The IAM actions of the calls the current test sent that the command under test does not declare in
 * infra/duties.ts: a command test (test/scripts/commands/<command>.test.ts) that sends one fails, so the duty
 * roles built from that list can never lack a call a command makes.
 * @param testPath the test file
 */
export function undeclaredCalls(testPath: string): string[] {
  const command = path.basename(testPath).replace(/\.test\.ts$/, '');
  if (path.basename(path.dirname(testPath)) !== 'commands' || !(command in COMMAND_ACCESS)) return [];
  const calls = (COMMAND_ACCESS[command as keyof typeof COMMAND_ACCESS] as CommandAccess).calls;
  const declared = new Set([...calls.map((c) => c.action), ...calls.map((c) => `${c.action} ${c.resource}`)]);
  const sent = Object.entries(aws).flatMap(([key, mock]) =>
    mock.calls().map((c) => {
      const action = `${IAM_PREFIX[key as keyof typeof aws]}:${(c.args[0] as object).constructor.name.replace(/Command$/, '')}`;
      // an SSM parameter's kind shows in its name: the same action on another kind is another grant of the roles.
      const kind = key === 'ssm' ? parameterKind((c.args[0] as { input: { Name?: unknown } }).input.Name) : undefined;
      return kind ? `${action} ${kind}` : action;
    }),
  );
  return [...new Set(sent.filter((action) => !declared.has(action)))].map((action) => `${command}: ${action}`);
}

/**
 * The kind infra/duties.ts gives an SSM parameter, by its name; undefined for calls that name none.
 * @param name the call's `Name`
 */
function parameterKind(name: unknown): CallResource | undefined {
  if (typeof name !== 'string') return undefined;
  if (/^\/berth\/[^/]+\/(pre|live)\/manifest$/.test(name)) return 'manifest';
  if (/^\/berth\/[^/]+\/live\/image-tag$/.test(name)) return 'imageTagParameter';
  if (name.startsWith('/aws/service/')) return 'amiParameter';
  throw new Error(`test/_helpers/mock-aws.ts: no kind of infra/duties.ts for the SSM parameter ${name}`);
}

/** Calls of the current test that no script answered; the test fails with them after it ran. */
const unscripted: string[] = [];

/**
 * Makes every call that no `aws.x.on(…)` answers fail, naming the command, instead of resolving to
 * undefined: a command that reads something the test did not script cannot pass by accident, even
 * where berth turns the error into a finding.
 */
function failUnscriptedCalls(): void {
  for (const [key, mock] of Object.entries(aws)) {
    mock.send.callsFake(async (command: { readonly constructor: { readonly name: string }; readonly input: unknown }) => {
      const call = `aws.${key} ${command.constructor.name} ${JSON.stringify(command.input)}`;
      unscripted.push(call);
      throw new Error(`unscripted AWS call ${call}: script it in the test with aws.${key}.on(${command.constructor.name}, …)`);
    });
  }
}

/** Resets every mock: no handlers, no recorded calls, and a loud failure for any call not scripted. */
export function resetAwsMocks(): void {
  for (const mock of Object.values(aws)) mock.reset();
  failUnscriptedCalls();
}

/** The unscripted calls of the current test, forgotten once taken (the check after each test takes them). */
export function takeUnscriptedCalls(): string[] {
  return unscripted.splice(0);
}

failUnscriptedCalls();
// outside jest (npm run bench status answers AWS with these mocks) there is no test to fail.
if (typeof afterEach === 'function') {
  // each test file starts with the mocks as loading this module leaves them, also when a group shares the module.
  atEveryFileStart(() => {
    resetAwsMocks();
    takeUnscriptedCalls();
  });
  afterEveryTest(() => {
    const undeclared = undeclaredCalls(currentTestFile());
    if (undeclared.length > 0)
      throw new Error(`the command sent AWS calls infra/duties.ts does not declare:\n  ${undeclared.join('\n  ')}`);
    const calls = takeUnscriptedCalls();
    if (calls.length > 0) throw new Error(`the test sent AWS calls it did not script:\n  ${calls.join('\n  ')}`);
  });
}
