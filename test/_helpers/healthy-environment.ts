import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import {
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand as DescribeTaskScalingActivitiesCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { DescribeScalingActivitiesCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeCapacityProvidersCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import type { Manifest } from '../../infra/manifest';
import { givenInstances } from './instances';
import { aws } from './mock-aws';

/** The time the doctor fixtures are written against. */
export const NOW = new Date('2026-11-23T12:00:00Z');

/** Minutes before {@link NOW}. */
export function minutesAgo(minutes: number): Date {
  return new Date(NOW.getTime() - minutes * 60_000);
}

/** The addresses the fake public resolvers give the load balancer (and, when healthy, the domain). */
export const ALB_ADDRESSES = ['192.0.2.10', '192.0.2.11'];

/**
 * Makes ACM answer that the environment's certificate is issued for its domain.
 * @param manifest the environment's manifest
 * @param notAfter when it expires
 */
export function givenIssuedCertificate(manifest: Manifest, notAfter: Date): void {
  aws.acm.on(DescribeCertificateCommand).resolves({
    Certificate: { CertificateArn: manifest.certificateArn, DomainName: manifest.domainName, Status: 'ISSUED', NotAfter: notAfter },
  });
}

/**
 * Makes every mock describe an environment where each link of the doctor's chain is ok; a test then
 * breaks one link by overriding one mock.
 * @param manifest the environment's manifest
 */
export function givenHealthyEnvironment(manifest: Manifest): void {
  const taskArn = (id: string) => `arn:aws:ecs:eu-west-1:123456789012:task/${manifest.cluster.name}/${id}`;
  aws.route53.on(ListResourceRecordSetsCommand).resolves({
    ResourceRecordSets: [
      {
        Name: `${manifest.domainName}.`,
        Type: 'A',
        AliasTarget: {
          DNSName: `dualstack.${manifest.loadBalancer.dnsName}.`,
          HostedZoneId: manifest.loadBalancer.canonicalHostedZoneId,
          EvaluateTargetHealth: true,
        },
      },
    ],
    IsTruncated: false,
    MaxItems: 20,
  });
  givenIssuedCertificate(manifest, new Date(NOW.getTime() + 200 * 86_400_000));
  aws.elbv2.on(DescribeLoadBalancersCommand).resolves({
    LoadBalancers: [
      {
        LoadBalancerArn: manifest.loadBalancer.arn,
        DNSName: manifest.loadBalancer.dnsName,
        Scheme: 'internet-facing',
        State: { Code: 'active' },
      },
    ],
  });
  aws.elbv2.on(DescribeListenersCommand).resolves({
    Listeners: [
      {
        ListenerArn: manifest.listeners.https,
        Port: 443,
        Protocol: 'HTTPS',
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        Certificates: [{ CertificateArn: manifest.certificateArn }],
      },
    ],
  });
  aws.elbv2.on(DescribeRulesCommand).resolves({
    Rules: [
      {
        RuleArn: manifest.rules.production,
        Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: [manifest.domainName] } }],
        Actions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: manifest.targetGroups.blue, Weight: 100 },
                { TargetGroupArn: manifest.targetGroups.green, Weight: 0 },
              ],
            },
          },
        ],
      },
    ],
  });
  aws.elbv2.on(DescribeTargetHealthCommand, { TargetGroupArn: manifest.targetGroups.blue }).resolves({
    TargetHealthDescriptions: [
      { Target: { Id: 'i-0aaa', Port: 32768 }, TargetHealth: { State: 'healthy' } },
      { Target: { Id: 'i-0bbb', Port: 32769 }, TargetHealth: { State: 'healthy' } },
    ],
  });
  aws.elbv2.on(DescribeTargetHealthCommand, { TargetGroupArn: manifest.targetGroups.green }).resolves({ TargetHealthDescriptions: [] });
  aws.ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        serviceName: manifest.service.name,
        serviceArn: manifest.service.arn,
        status: 'ACTIVE',
        taskDefinition: `arn:aws:ecs:eu-west-1:123456789012:task-definition/${manifest.taskDefinitionFamily}:7`,
        desiredCount: 2,
        runningCount: 2,
        pendingCount: 0,
        currentServiceDeployment: 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/1',
        events: [{ createdAt: minutesAgo(30), message: `(service ${manifest.service.name}) has reached a steady state.` }],
      },
    ],
  });
  aws.ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [{ status: 'SUCCESSFUL' }] });
  aws.ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: { family: manifest.taskDefinitionFamily, cpu: '512', memory: '1024', containerDefinitions: [{ name: 'app' }] },
  });
  aws.ecs.on(ListTasksCommand, { desiredStatus: 'RUNNING' }).resolves({ taskArns: [taskArn('run1'), taskArn('run2')] });
  aws.ecs.on(ListTasksCommand, { desiredStatus: 'STOPPED' }).resolves({ taskArns: [] });
  aws.ecs.on(DescribeTasksCommand).resolves({
    tasks: [
      { taskArn: taskArn('run1'), lastStatus: 'RUNNING', startedAt: minutesAgo(60) },
      { taskArn: taskArn('run2'), lastStatus: 'RUNNING', startedAt: minutesAgo(50) },
    ],
  });
  aws.ecs.on(DescribeCapacityProvidersCommand).resolves({
    capacityProviders: [
      {
        name: manifest.capacityProviderName,
        status: 'ACTIVE',
        updateStatus: 'UPDATE_COMPLETE',
        autoScalingGroupProvider: { autoScalingGroupArn: 'arn', managedScaling: { status: 'ENABLED', targetCapacity: 100 } },
      },
    ],
  });
  givenInstances(manifest, [
    { id: 'i-0aaa', agentConnected: true, runningTasks: 1 },
    { id: 'i-0bbb', agentConnected: true, runningTasks: 1, az: 'eu-west-1b' },
  ]);
  aws.autoScaling.on(DescribeScalingActivitiesCommand).resolves({
    Activities: [
      {
        ActivityId: 'a1',
        AutoScalingGroupName: manifest.autoScalingGroupName,
        Cause: 'scale out',
        StartTime: minutesAgo(120),
        StatusCode: 'Successful',
        Description: 'Launching a new EC2 instance: i-0bbb',
      },
    ],
  });
  // no autoScaling: the service runs its fixed count.
  aws.applicationAutoScaling.on(DescribeScalableTargetsCommand).resolves({ ScalableTargets: [] });
  aws.applicationAutoScaling.on(DescribeTaskScalingActivitiesCommand).resolves({ ScalingActivities: [] });
}
