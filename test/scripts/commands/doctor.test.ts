import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import {
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand as DescribeTaskScalingActivitiesCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { DescribeScalingActivitiesCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeServiceDeploymentsCommand, DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { createDoctorCommand, doctor as realDoctor } from '../../../scripts/commands/doctor';
import { EXIT } from '../../../scripts/core/errors';
import type { Finding } from '../../../scripts/checks/findings';
import { ALB_ADDRESSES, givenHealthyEnvironment, minutesAgo, NOW } from '../../_helpers/healthy-environment';
import { startDnsServer } from '../../_helpers/dns-server';
import { givenInstances } from '../../_helpers/instances';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';
import { givenManifest, runCommand } from '../../_helpers/run-command';

const doctor = createDoctorCommand({ resolve: async () => ALB_ADDRESSES, now: () => NOW });

async function findingsOf(environment: 'pre' | 'live' = 'live') {
  const { code, out } = await runCommand(doctor, [environment, '--json']);
  const findings: Finding[] = JSON.parse(out).findings;
  return { code, findings, byLink: (link: string) => findings.find((f) => f.link === link)! };
}

beforeEach(() => resetAwsMocks());

describe('berth doctor on a healthy environment', () => {
  test('reports every link ok in the order a request takes, and exits 0', async () => {
    // GIVEN
    givenHealthyEnvironment(givenManifest('live'));

    // WHEN
    const { code, out } = await runCommand(doctor, ['live']);

    // THEN
    expect(code).toBe(EXIT.OK);
    const links = out
      .split('\n')
      .filter((l) => /^(ok|WARN|FAIL) /.test(l))
      .map((l) => l.slice(6).split(/ {2,}/)[0].trim());
    expect(links).toEqual([
      'DNS alias',
      'public DNS',
      'load balancer',
      'HTTPS listener',
      'certificate',
      'listener rule',
      'target health',
      'traffic',
      'service',
      'deployment',
      'task scaling',
      'tasks',
      'container instances',
      'release capacity',
      'Auto Scaling group',
      'capacity provider',
      'instance AMI',
    ]);
    expect(out).not.toMatch(/^(WARN|FAIL)/m);
    expect(out).toContain('every link is ok.');
  });

  test('--json prints the findings and the worst status', async () => {
    // GIVEN
    givenHealthyEnvironment(givenManifest('pre'));

    // WHEN
    const { code, out } = await runCommand(doctor, ['pre', '--json']);

    // THEN
    expect(code).toBe(EXIT.OK);
    const document = JSON.parse(out);
    expect(document).toEqual(expect.objectContaining({ environment: 'pre', url: 'https://pre-be.example.com', status: 'ok' }));
    expect(document.findings).toHaveLength(17);
  });

  test('an unknown environment is a usage error', async () => {
    // WHEN
    const { code, err } = await runCommand(doctor, ['staging']);

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err.trim()).toBe('berth doctor: unknown environment "staging"; allowed: pre, live');
  });
});

describe('berth doctor finds the failing link', () => {
  test('unhealthy targets fail with the reasons AWS gives and a fix, exit 4', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);
    aws.elbv2.on(DescribeTargetHealthCommand, { TargetGroupArn: manifest.targetGroups.blue }).resolves({
      TargetHealthDescriptions: [
        {
          Target: { Id: 'i-0aaa', Port: 32768 },
          TargetHealth: {
            State: 'unhealthy',
            Reason: 'Target.ResponseCodeMismatch',
            Description: 'Health checks failed with these codes: [502]',
          },
        },
      ],
    });

    // WHEN
    const { code, out } = await runCommand(doctor, ['live']);

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(out).toContain('FAIL  target health        0/1 targets healthy: the load balancer answers 502/503');
    expect(out).toContain('i-0aaa:32768 unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [502])');
    expect(out).toContain('fix: the app answers the health check with an error status: read berth logs live --since 1h');
    expect(out).toContain('1 failing, 0 warning(s): start with the first FAIL above.');
  });

  test('a disconnected agent fails and points at agent-log', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);
    givenInstances(manifest, [
      { id: 'i-0aaa', agentConnected: true },
      { id: 'i-0bbb', agentConnected: false },
    ]);

    // WHEN
    const { code, byLink } = await findingsOf();

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(byLink('container instances')).toEqual(
      expect.objectContaining({
        status: 'fail',
        summary: '1 agent(s) disconnected, 0 instance(s) not registered in the cluster',
        fix: 'read why with berth agent-log live --instance i-0bbb; restart the agent with berth connect live --instance i-0bbb, then sudo systemctl restart ecs',
      }),
    );
    expect(byLink('container instances').details).toContain('i-0bbb: agent DISCONNECTED, 1 task(s), 1536 CPU units and 2800 MiB free');
  });

  test('an instance in service but not registered in the cluster fails', async () => {
    // GIVEN
    const manifest = givenManifest('pre');
    givenHealthyEnvironment(manifest);
    givenInstances(manifest, [{ id: 'i-0aaa', agentConnected: true }, { id: 'i-0ccc' }]);

    // WHEN
    const { byLink } = await findingsOf('pre');

    // THEN
    expect(byLink('container instances').status).toBe('fail');
    expect(byLink('container instances').details).toContain('i-0ccc: not registered in cluster berth-pre-Cluster (InService)');
  });

  test('no room for another task is a warning', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);
    givenInstances(manifest, [{ id: 'i-0aaa', agentConnected: true, remainingCpu: 256, remainingMemory: 3000 }]);

    // WHEN
    const { byLink } = await findingsOf();

    // THEN
    expect(byLink('container instances')).toEqual(
      expect.objectContaining({ status: 'warn', summary: '1 connected, but none has room for another task (512 CPU units, 1024 MiB)' }),
    );
  });

  test('release capacity prints the arithmetic of the synth summary and each instance against it', async () => {
    // GIVEN 2 tasks of 512 CPU units and 1024 MiB on t4g.medium, max 4
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);

    // WHEN
    const { byLink } = await findingsOf();

    // THEN
    expect(byLink('release capacity')).toEqual({
      link: 'release capacity',
      status: 'ok',
      summary: '2 tasks per t4g.medium (2 network interfaces for tasks), a release needs 4, max 4 instances hold 8',
      details: [
        'i-0aaa (t4g.medium): registered 2048 CPU units and 3800 MiB, fits 2 tasks',
        'i-0bbb (t4g.medium): registered 2048 CPU units and 3800 MiB, fits 2 tasks',
        'berth expects of a t4g.medium: 2048 CPU units, 3788 MiB, 2 task interfaces',
      ],
    });
  });

  test('a service that grew past what max instances hold for a release fails with the maxCapacity it needs', async () => {
    // GIVEN 5 tasks: a release needs 10, 4 instances hold 8
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);
    aws.ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: manifest.service.name,
          status: 'ACTIVE',
          taskDefinition: `arn:aws:ecs:eu-west-1:123456789012:task-definition/${manifest.taskDefinitionFamily}:7`,
          desiredCount: 5,
          runningCount: 5,
          pendingCount: 0,
        },
      ],
    });

    // WHEN
    const { code, byLink } = await findingsOf();

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(byLink('release capacity')).toEqual(
      expect.objectContaining({
        status: 'fail',
        summary:
          '2 tasks per t4g.medium (2 network interfaces for tasks), a release needs 10, max 4 instances hold 8: the next release cannot start all its green tasks',
        fix: 'set maxCapacity 5 or a larger instance type in environments.live of the config, then npx cdk deploy berth-live',
      }),
    );
  });

  test('an instance that registered less memory than berth assumes warns', async () => {
    // GIVEN i-0bbb registered 1900 MiB: one task of 1024 MiB, not two
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);
    givenInstances(manifest, [
      { id: 'i-0aaa', agentConnected: true },
      { id: 'i-0bbb', agentConnected: true, registeredMemory: 1900 },
    ]);

    // WHEN
    const { byLink } = await findingsOf();

    // THEN
    expect(byLink('release capacity')).toEqual(
      expect.objectContaining({
        status: 'warn',
        summary: expect.stringMatching(/; i-0bbb fits fewer tasks than berth expects of a t4g\.medium$/),
      }),
    );
    expect(byLink('release capacity').details).toContain('i-0bbb (t4g.medium): registered 2048 CPU units and 1900 MiB, fits 1 task');
  });

  test('instances with a trunk interface count the trunked task limit', async () => {
    // GIVEN m6i.large instances that ECS trunked: 10 task interfaces, so CPU holds them to 4
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);
    givenInstances(manifest, [
      { id: 'i-0aaa', agentConnected: true, instanceType: 'm6i.large', registeredMemory: 7800, trunk: true },
      { id: 'i-0bbb', agentConnected: true, instanceType: 'm6i.large', registeredMemory: 7800, trunk: true },
    ]);

    // WHEN
    const { byLink } = await findingsOf();

    // THEN
    expect(byLink('release capacity')).toEqual(
      expect.objectContaining({
        status: 'ok',
        summary: '4 tasks per m6i.large (2048 CPU units for tasks of 512), a release needs 4, max 4 instances hold 16',
      }),
    );
    expect(byLink('release capacity').details).toContain(
      'berth expects of a m6i.large: 2048 CPU units, 7577 MiB, 10 task interfaces (trunking)',
    );
  });

  test('a stale AMI alone is a warning that says how to roll the instances, exit 6', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);
    givenInstances(manifest, [
      { id: 'i-0aaa', agentConnected: true },
      { id: 'i-0bbb', agentConnected: true, imageId: 'ami-0old' },
    ]);

    // WHEN
    const { code, byLink } = await findingsOf();

    // THEN
    expect(code).toBe(EXIT.WARNINGS);
    expect(byLink('instance AMI')).toEqual({
      link: 'instance AMI',
      status: 'warn',
      summary: "1 instance(s) run an older AMI than the launch template's ami-0current000000000",
      details: ['i-0bbb: ami-0old'],
      fix: 'npx cdk deploy berth-live rolls the group onto it one instance at a time (berth changes no instances); without a deploy: aws autoscaling start-instance-refresh --auto-scaling-group-name berth-live-AutoScalingGroup',
    });
  });

  test('DNS pointing elsewhere fails the first link', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);
    aws.route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        {
          Name: 'be.example.com.',
          Type: 'A',
          AliasTarget: { DNSName: 'old-alb-1.eu-west-1.elb.amazonaws.com.', HostedZoneId: 'Z32O12XQLNTSW2', EvaluateTargetHealth: false },
        },
      ],
      IsTruncated: false,
      MaxItems: 20,
    });

    // WHEN
    const { code, findings } = await findingsOf();

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(findings[0]).toEqual(
      expect.objectContaining({ link: 'DNS alias', status: 'fail', summary: "be.example.com does not point at live's load balancer" }),
    );
  });

  test('a certificate near expiry is a warning', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);
    aws.acm.on(DescribeCertificateCommand).resolves({
      Certificate: {
        DomainName: manifest.domainName,
        Status: 'ISSUED',
        NotAfter: new Date(NOW.getTime() + 10 * 86_400_000),
        RenewalSummary: { RenewalStatus: 'FAILED', DomainValidationOptions: [], UpdatedAt: NOW, RenewalStatusReason: 'CAA_ERROR' },
      },
    });

    // WHEN
    const { code, byLink } = await findingsOf();

    // THEN
    expect(code).toBe(EXIT.WARNINGS);
    expect(byLink('certificate')).toEqual(expect.objectContaining({ status: 'warn', details: ['renewal: FAILED (CAA_ERROR)'] }));
  });

  test("a failed scaling activity fails the Auto Scaling group with AWS's message", async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);
    aws.autoScaling.on(DescribeScalingActivitiesCommand).resolves({
      Activities: [
        {
          ActivityId: 'a2',
          AutoScalingGroupName: manifest.autoScalingGroupName,
          Cause: 'capacity',
          StartTime: minutesAgo(10),
          StatusCode: 'Failed',
          Description: 'Launching a new EC2 instance.  Status Reason: We currently do not have sufficient t4g.medium capacity.',
          StatusMessage:
            'We currently do not have sufficient t4g.medium capacity in the Availability Zone you requested (eu-west-1a). InsufficientInstanceCapacity',
        },
      ],
    });

    // WHEN
    const { code, byLink } = await findingsOf();

    // THEN
    expect(code).toBe(EXIT.FAILED);
    const group = byLink('Auto Scaling group');
    expect(group.status).toBe('fail');
    expect(group.summary).toBe(
      '2/2 instances in service (min 1, max 4); 1 scaling activity failed in the last 24 h, the newest among them',
    );
    expect(group.details?.[0]).toContain('2026-11-23T11:50:00Z Failed: Launching a new EC2 instance.');
    expect(group.fix).toContain('AWS has no capacity for the instance type');
  });

  test('recently stopped tasks are shown with their reasons; none running fails', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);
    const arn = (id: string) => `arn:aws:ecs:eu-west-1:123456789012:task/${manifest.cluster.name}/${id}`;
    aws.ecs.on(ListTasksCommand, { desiredStatus: 'RUNNING' }).resolves({ taskArns: [] });
    aws.ecs.on(ListTasksCommand, { desiredStatus: 'STOPPED' }).resolves({ taskArns: [arn('dead1'), arn('replaced')] });
    aws.ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        {
          taskArn: arn('dead1'),
          lastStatus: 'STOPPED',
          stopCode: 'EssentialContainerExited',
          stoppedReason: 'Essential container in task exited',
          stoppedAt: minutesAgo(5),
          containers: [{ name: 'app', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }],
        },
        {
          taskArn: arn('replaced'),
          lastStatus: 'STOPPED',
          stopCode: 'ServiceSchedulerInitiated',
          stoppedReason: 'Scaling activity initiated by deployment',
          stoppedAt: minutesAgo(40),
          containers: [{ name: 'app', exitCode: 143 }],
        },
      ],
    });

    // WHEN
    const { code, byLink } = await findingsOf();

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(byLink('tasks')).toEqual({
      link: 'tasks',
      status: 'fail',
      summary: '0 running, 1 failed in the last hour',
      details: [
        'task dead1 stopped 2026-11-23T11:55:00Z: Essential container in task exited; app exit 137 (OutOfMemoryError: Container killed due to memory usage)',
      ],
      fix: 'the container ran out of memory: raise container.memoryMiB for live in the config and npx cdk deploy berth-live',
    });
  });

  test('service events about placement warn, and a rolled-back deployment warns with its reason', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);
    aws.ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: manifest.service.name,
          status: 'ACTIVE',
          taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/berth-live:8',
          desiredCount: 2,
          runningCount: 1,
          pendingCount: 0,
          currentServiceDeployment: 'arn:deployment/2',
          events: [
            {
              createdAt: minutesAgo(3),
              message: '(service berth-live-Service) was unable to place a task because no container instance met all of its requirements.',
            },
          ],
        },
      ],
    });
    aws.ecs.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        {
          status: 'ROLLBACK_SUCCESSFUL',
          statusReason: 'Service deployment rolled back because of alarm',
          alarms: { status: 'TRIGGERED', triggeredAlarmNames: ['berth-live-5xx'] },
        },
      ],
    });

    // WHEN
    const { byLink } = await findingsOf();

    // THEN
    expect(byLink('service')).toEqual(
      expect.objectContaining({
        status: 'warn',
        summary: '1/2 tasks running',
        fix: expect.stringContaining('no container instance has room'),
      }),
    );
    expect(byLink('service').details?.[0]).toContain('was unable to place a task');
    expect(byLink('deployment')).toEqual(
      expect.objectContaining({
        status: 'warn',
        summary: 'the last deployment was rolled back (ROLLBACK_SUCCESSFUL)',
        details: ['reason: Service deployment rolled back because of alarm', 'alarms that fired: berth-live-5xx'],
      }),
    );
  });

  test('a link AWS will not let berth read is a warning that names the permission; the walk goes on', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);
    aws.autoScaling.on(DescribeScalingActivitiesCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));

    // WHEN
    const { code, byLink, findings } = await findingsOf();

    // THEN
    expect(code).toBe(EXIT.WARNINGS);
    expect(byLink('Auto Scaling group').summary).toBe(
      'could not check: AWS denied autoscaling:DescribeScalingActivities: your role needs the IAM permission autoscaling:DescribeScalingActivities (use a role that has it, or ask your AWS admin to grant it)',
    );
    expect(findings).toHaveLength(17);
  });

  test('missing credentials stop the walk with one refusal', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);
    aws.elbv2.rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));

    // WHEN
    const { code, err } = await runCommand(doctor, ['live']);

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('no usable AWS credentials');
  });
});

describe('berth doctor on task auto-scaling', () => {
  function givenScalableTarget(manifest: ReturnType<typeof givenManifest>, min: number, max: number): void {
    aws.applicationAutoScaling.on(DescribeScalableTargetsCommand).resolves({
      ScalableTargets: [
        {
          ServiceNamespace: 'ecs',
          ResourceId: `service/${manifest.cluster.name}/${manifest.service.name}`,
          ScalableDimension: 'ecs:service:DesiredCount',
          MinCapacity: min,
          MaxCapacity: max,
          RoleARN: 'arn:aws:iam::123456789012:role/x',
          CreationTime: minutesAgo(600),
        },
      ],
    });
  }

  test('without autoScaling the link is ok and says the count is fixed', async () => {
    // GIVEN
    givenHealthyEnvironment(givenManifest('live'));

    // WHEN
    const { byLink } = await findingsOf();

    // THEN
    expect(byLink('task scaling')).toEqual({
      link: 'task scaling',
      status: 'ok',
      summary: 'fixed at 2 tasks (no autoScaling in the config)',
    });
  });

  test('a service inside its range is ok and shows the range', async () => {
    // GIVEN the service runs 2 of 2..4 (a release at 4 needs 8 tasks: the 4 instances hold 8), and an old failure
    // outside the last 24 hours
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);
    givenScalableTarget(manifest, 2, 4);
    aws.applicationAutoScaling.on(DescribeTaskScalingActivitiesCommand).resolves({
      ScalingActivities: [
        {
          ActivityId: 'old',
          ServiceNamespace: 'ecs',
          ResourceId: `service/${manifest.cluster.name}/${manifest.service.name}`,
          ScalableDimension: 'ecs:service:DesiredCount',
          Description: 'Setting desired count to 3.',
          Cause: 'monitor alarm',
          StartTime: minutesAgo(60 * 30),
          StatusCode: 'Failed',
        },
      ],
    });

    // WHEN
    const { code, byLink } = await findingsOf();

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(byLink('task scaling')).toEqual({ link: 'task scaling', status: 'ok', summary: '2..4 tasks, desired 2' });
  });

  test('release capacity counts maxTasks: a service that may scale past what a release has room for fails now, not at its peak', async () => {
    // GIVEN 2 tasks now, maxTasks 6: a release at 6 needs 12 tasks, max 4 instances hold 8
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);
    givenScalableTarget(manifest, 2, 6);
    aws.applicationAutoScaling.on(DescribeTaskScalingActivitiesCommand).resolves({ ScalingActivities: [] });

    // WHEN
    const { code, byLink } = await findingsOf();

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(byLink('release capacity')).toMatchObject({
      status: 'fail',
      summary:
        '2 tasks per t4g.medium (2 network interfaces for tasks), a release needs 12, max 4 instances hold 8: the next release cannot start all its green tasks',
      fix: 'set maxCapacity 6 or a larger instance type in environments.live of the config, then npx cdk deploy berth-live',
    });
    expect(byLink('release capacity').details?.[0]).toBe('counted 6 tasks: autoScaling.maxTasks (the service runs 2 now)');
  });

  test('a service pinned at maxTasks and a failed activity are warnings with a fix, exit 6', async () => {
    // GIVEN the service runs 2 of 1..2; Application Auto Scaling failed to set the count 10 minutes ago
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);
    givenScalableTarget(manifest, 1, 2);
    aws.applicationAutoScaling.on(DescribeTaskScalingActivitiesCommand).resolves({
      ScalingActivities: [
        {
          ActivityId: 'a1',
          ServiceNamespace: 'ecs',
          ResourceId: `service/${manifest.cluster.name}/${manifest.service.name}`,
          ScalableDimension: 'ecs:service:DesiredCount',
          Description: 'Setting desired count to 1.',
          Cause: 'monitor alarm TargetTracking-low',
          StartTime: minutesAgo(10),
          StatusCode: 'Failed',
          StatusMessage: 'Failed to set desired count to 1: service is not ACTIVE',
        },
      ],
    });

    // WHEN
    const { code, findings } = await findingsOf();

    // THEN
    expect(code).toBe(EXIT.WARNINGS);
    const scaling = findings.filter((f) => f.link === 'task scaling');
    expect(scaling.map((f) => [f.status, f.summary])).toEqual([
      ['warn', 'the service runs 2 tasks, its maxTasks: more load gets no more tasks'],
      ['warn', '1 scaling activity failed in the last 24 hours'],
    ]);
    expect(scaling[0].fix).toContain('raise environments.live.autoScaling.maxTasks');
    expect(scaling[1].details).toEqual([
      '2026-11-23T11:50:00.000Z Setting desired count to 1.: Failed to set desired count to 1: service is not ACTIVE',
    ]);
  });
});

describe('berth doctor with resolvers chosen for this network', () => {
  test('asks the resolvers --resolver names, with the real resolver, or skips the link', async () => {
    // GIVEN a DNS server on 127.0.0.1 that knows the name and the load balancer
    const manifest = givenManifest('live');
    givenHealthyEnvironment(manifest);
    const server = await startDnsServer({ [manifest.domainName]: ALB_ADDRESSES, [manifest.loadBalancer.dnsName]: ALB_ADDRESSES });
    try {
      // WHEN
      const asked = await runCommand(realDoctor, ['live', '--json', '--resolver', `Local=${server.address}`]);
      const questions = server.questions.splice(0);
      const skipped = await runCommand(realDoctor, ['live', '--json'], { env: { BERTH_PUBLIC_RESOLVERS: 'none' } });

      // THEN
      expect(JSON.parse(asked.out).findings).toContainEqual({
        link: 'public DNS',
        status: 'ok',
        summary: "public resolvers answer the load balancer's addresses",
        details: [`Local (${server.address}): 192.0.2.10, 192.0.2.11 (the load balancer's)`],
      });
      expect(questions.sort()).toEqual([manifest.loadBalancer.dnsName, manifest.domainName].sort());
      expect(JSON.parse(skipped.out).findings).toContainEqual({
        link: 'public DNS',
        status: 'skip',
        summary: 'skipped (BERTH_PUBLIC_RESOLVERS=none)',
      });
      expect(skipped.code).toBe(EXIT.OK);
      expect(server.questions).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
