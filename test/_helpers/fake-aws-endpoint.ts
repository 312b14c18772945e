import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Manifest } from '../../infra/manifest';

/** Who the fake endpoint says calls it (STS GetCallerIdentity). */
export const FAKE_CALLER_ARN = 'arn:aws:sts::123456789012:assumed-role/releaser/carol';

/** A local stand-in for the AWS APIs `berth status`, `berth promote` and `berth deploy pre` call, for the compiled CLI. */
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
    containerDefinitions: [{ name: 'app', image: `${uri}:v1.3.0`, memory: 512 }],
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
