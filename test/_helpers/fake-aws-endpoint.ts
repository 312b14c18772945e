import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Manifest } from '../../infra/manifest';

/** Who the fake endpoint says calls it (STS GetCallerIdentity). */
export const FAKE_CALLER_ARN = 'arn:aws:sts::123456789012:assumed-role/releaser/carol';

/** A local stand-in for the AWS APIs `berth status`, `berth promote` (with its pre-flight) and `berth deploy pre` call, for the compiled CLI. */
export interface FakeAwsEndpoint {
  /** the URL to put in AWS_ENDPOINT_URL. */
  readonly url: string;
  /** operation names in the order they arrived. */
  readonly operations: string[];
  /** RegisterTaskDefinition requests as sent over the wire. */
  readonly registrations: Record<string, unknown>[];
  /** stops the server. */
  close(): Promise<void>;
}

/**
 * Starts a server that speaks the AWS JSON protocol (SSM, ECS, ECR) and the query protocol (ELBv2) well
 * enough for one release: service on revision 7 (running v1.3.0), a deployment that succeeds on the
 * `finishAfter`-th look.
 * @param manifest the manifest to serve (live's, or pre's for berth deploy pre)
 * @param finishAfter looks at the new deployment before it is SUCCESSFUL; Infinity never ends
 */
export async function startFakeAwsEndpoint(manifest: Manifest, finishAfter = 2): Promise<FakeAwsEndpoint> {
  const uri = manifest.repository.uri;
  const family = manifest.taskDefinitionFamily;
  const taskDefinitionArn = (revision: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/${family}:${revision}`;
  const running = {
    taskDefinitionArn: taskDefinitionArn(7),
    family,
    revision: 7,
    status: 'ACTIVE',
    executionRoleArn: 'arn:aws:iam::123456789012:role/execution',
    containerDefinitions: [
      {
        name: 'app',
        image: `${uri}:v1.3.0`,
        memory: 512,
        secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/berth/db-password' }],
      },
    ],
    requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.ecr-auth' }],
    compatibilities: ['EC2'],
    registeredAt: 1_700_000_000,
  };
  const operations: string[] = [];
  const registrations: Record<string, unknown>[] = [];
  let registered: Record<string, unknown> | undefined;
  let looks = 0;
  let version = 2;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target ? (target.split('.').pop() ?? '') : (new URLSearchParams(body).get('Action') ?? '');
      operations.push(operation);
      const input = (target && body ? JSON.parse(body) : {}) as Record<string, never>;
      const json = (value: unknown) => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(value));
      };
      // the query protocol's answer: <Operation>Response/<Operation>Result.
      const xml = (name: string, namespace: string, result: string) => {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          `<${name}Response xmlns="${namespace}"><${name}Result>${result}</${name}Result><ResponseMetadata><RequestId>5</RequestId></ResponseMetadata></${name}Response>`,
        );
      };
      switch (operation) {
        case 'GetParameter':
          return json({
            Parameter: String(input.Name).endsWith('/manifest')
              ? { Value: JSON.stringify(manifest), Version: 1 }
              : { Value: 'v1.3.0', Version: version },
          });
        case 'PutParameter':
          return json({ Version: ++version });
        case 'DescribeImages':
          return json({
            imageDetails: [{ imageDigest: `sha256:${'ab'.repeat(32)}`, imageTags: ['v1.4.0'], imagePushedAt: 1_700_000_000 }],
          });
        case 'DescribeServices':
          return json({
            services: [
              {
                serviceName: manifest.service.name,
                status: 'ACTIVE',
                taskDefinition: registered ? taskDefinitionArn(8) : taskDefinitionArn(7),
                desiredCount: 2,
                runningCount: 2,
                pendingCount: 0,
                deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 },
                currentServiceDeployment: 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/c/s/old',
                currentServiceRevisions: [{ arn: 'arn:revision/old' }],
              },
            ],
          });
        case 'ListServiceDeployments':
          return json({ serviceDeployments: [] });
        case 'DescribeTaskDefinition':
          return json({
            taskDefinition: String(input.taskDefinition).endsWith(':8') ? registered : running,
            tags: [{ key: 'app', value: 'berth' }],
          });
        case 'RegisterTaskDefinition':
          registrations.push(input);
          registered = { ...(input as object), taskDefinitionArn: taskDefinitionArn(8), revision: 8 };
          return json({ taskDefinition: registered });
        case 'UpdateService':
          return json({ service: { currentServiceDeployment: 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/c/s/new' } });
        case 'DescribeServiceDeployments': {
          const arn = String((input.serviceDeploymentArns as string[])[0]);
          if (arn.endsWith('/old')) return json({ serviceDeployments: [{ serviceDeploymentArn: arn, status: 'SUCCESSFUL' }] });
          const done = ++looks > finishAfter;
          return json({
            serviceDeployments: [
              {
                serviceDeploymentArn: arn,
                status: done ? 'SUCCESSFUL' : 'IN_PROGRESS',
                lifecycleStage: done ? 'CLEAN_UP' : 'BAKE_TIME',
                targetServiceRevision: { arn: 'arn:revision/new', requestedTaskCount: 2, runningTaskCount: 2 },
                deploymentConfiguration: { bakeTimeInMinutes: 1 },
              },
            ],
          });
        }
        case 'DescribeServiceRevisions': {
          const arn = String((input.serviceRevisionArns as string[])[0]);
          return json({
            serviceRevisions: [
              {
                serviceRevisionArn: arn,
                taskDefinition: arn === 'arn:revision/new' ? taskDefinitionArn(8) : taskDefinitionArn(7),
                containerImages: [{ containerName: 'app', image: `${uri}:v1.3.0`, imageDigest: `sha256:${'cd'.repeat(32)}` }],
              },
            ],
          });
        }
        case 'GetCallerIdentity':
          // STS speaks the query protocol: an XML answer.
          res.writeHead(200, { 'content-type': 'text/xml' });
          return res.end(
            '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
              `<Arn>${FAKE_CALLER_ARN}</Arn><UserId>AROAEXAMPLE:carol</UserId><Account>123456789012</Account>` +
              '</GetCallerIdentityResult><ResponseMetadata><RequestId>4</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
          );
        case 'DescribeTargetHealth':
          res.writeHead(200, { 'content-type': 'text/xml' });
          return res.end(
            '<DescribeTargetHealthResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeTargetHealthResult><TargetHealthDescriptions>' +
              '<member><Target><Id>i-0abc</Id><Port>32768</Port></Target><TargetHealth><State>healthy</State></TargetHealth></member>' +
              '</TargetHealthDescriptions></DescribeTargetHealthResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeTargetHealthResponse>',
          );
        case 'DescribeTargetGroups':
          res.writeHead(200, { 'content-type': 'text/xml' });
          return res.end(
            '<DescribeTargetGroupsResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeTargetGroupsResult><TargetGroups>' +
              Object.values(manifest.targetGroups)
                .map(
                  (arn) =>
                    `<member><TargetGroupArn>${arn}</TargetGroupArn><HealthCheckIntervalSeconds>10</HealthCheckIntervalSeconds><HealthyThresholdCount>2</HealthyThresholdCount></member>`,
                )
                .join('') +
              '</TargetGroups></DescribeTargetGroupsResult><ResponseMetadata><RequestId>2</RequestId></ResponseMetadata></DescribeTargetGroupsResponse>',
          );
        case 'DescribeTargetGroupAttributes':
          res.writeHead(200, { 'content-type': 'text/xml' });
          return res.end(
            '<DescribeTargetGroupAttributesResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeTargetGroupAttributesResult><Attributes>' +
              '<member><Key>deregistration_delay.timeout_seconds</Key><Value>30</Value></member>' +
              '</Attributes></DescribeTargetGroupAttributesResult><ResponseMetadata><RequestId>3</RequestId></ResponseMetadata></DescribeTargetGroupAttributesResponse>',
          );
        case 'DescribeScalableTargets':
          // the example's live has no autoScaling: no scalable target.
          return json({ ScalableTargets: [] });
        // promote's pre-flight (berth verify), all ok: the JSON services first, then IAM, Auto Scaling and EC2 (XML).
        case 'DescribeParameters':
          return json({ Parameters: [{ Name: '/berth/db-password', Type: 'SecureString', KeyId: 'alias/aws/ssm' }] });
        case 'BatchGetImage':
          return json({
            images: [
              {
                imageManifestMediaType: 'application/vnd.oci.image.index.v1+json',
                imageManifest: JSON.stringify({
                  schemaVersion: 2,
                  manifests: ['amd64', 'arm64'].map((architecture) => ({ digest: 'sha256:0', platform: { os: 'linux', architecture } })),
                }),
              },
            ],
          });
        case 'DescribeLogGroups':
          return json({ logGroups: [{ logGroupName: input.logGroupNamePrefix }] });
        case 'DescribeCertificate':
          return json({ Certificate: { CertificateArn: input.CertificateArn, DomainName: manifest.domainName, Status: 'ISSUED' } });
        case 'ListContainerInstances':
          return json({ containerInstanceArns: ['arn:aws:ecs:eu-west-1:123456789012:container-instance/c/ci0aaa'] });
        case 'DescribeContainerInstances':
          return json({
            containerInstances: [
              {
                containerInstanceArn: 'arn:aws:ecs:eu-west-1:123456789012:container-instance/c/ci0aaa',
                ec2InstanceId: 'i-0aaa',
                agentConnected: true,
                status: 'ACTIVE',
                registeredResources: [
                  { name: 'CPU', type: 'INTEGER', integerValue: 2048 },
                  { name: 'MEMORY', type: 'INTEGER', integerValue: 3800 },
                ],
              },
            ],
          });
        case 'GetRole':
          return xml(
            'GetRole',
            'https://iam.amazonaws.com/doc/2010-05-08/',
            `<Role><Path>/</Path><RoleName>execution</RoleName><RoleId>AROAEXAMPLE</RoleId><Arn>arn:aws:iam::123456789012:role/execution</Arn>` +
              `<CreateDate>2026-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>${encodeURIComponent(
                JSON.stringify({
                  Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
                }),
              )}</AssumeRolePolicyDocument></Role>`,
          );
        case 'SimulatePrincipalPolicy': {
          const query = new URLSearchParams(body);
          return xml(
            'SimulatePrincipalPolicy',
            'https://iam.amazonaws.com/doc/2010-05-08/',
            `<IsTruncated>false</IsTruncated><EvaluationResults><member><EvalActionName>${query.get('ActionNames.member.1') ?? ''}</EvalActionName>` +
              `<EvalResourceName>${query.get('ResourceArns.member.1') ?? ''}</EvalResourceName><EvalDecision>allowed</EvalDecision></member></EvaluationResults>`,
          );
        }
        case 'DescribeAutoScalingGroups':
          return xml(
            'DescribeAutoScalingGroups',
            'http://autoscaling.amazonaws.com/doc/2011-01-01/',
            `<AutoScalingGroups><member><AutoScalingGroupName>${manifest.autoScalingGroupName}</AutoScalingGroupName><MinSize>1</MinSize><MaxSize>4</MaxSize>` +
              '<DesiredCapacity>1</DesiredCapacity><Instances><member><InstanceId>i-0aaa</InstanceId><InstanceType>t4g.medium</InstanceType>' +
              '<AvailabilityZone>eu-west-1a</AvailabilityZone><LifecycleState>InService</LifecycleState><HealthStatus>Healthy</HealthStatus></member></Instances></member></AutoScalingGroups>',
          );
        case 'DescribeInstances':
        case 'DescribeLaunchTemplateVersions':
          // EC2's protocol has no Result element; empty sets leave the instance's AMI unknown, which capacity does not need.
          res.writeHead(200, { 'content-type': 'text/xml' });
          return res.end(
            `<${operation}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>6</requestId>` +
              `<${operation === 'DescribeInstances' ? 'reservationSet' : 'launchTemplateVersionSet'}/></${operation}Response>`,
          );
        default:
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
          return res.end(JSON.stringify({ __type: 'UnknownOperationException', message: operation }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    operations,
    registrations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
