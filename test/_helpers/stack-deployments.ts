import {
  type Action,
  CreateRuleCommand,
  DeleteRuleCommand,
  ElasticLoadBalancingV2Client,
  ModifyRuleCommand,
  type RuleCondition,
  SetRulePrioritiesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CreateServiceCommand, DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DeleteParameterCommand, PutParameterCommand, SSMClient, type Tag } from '@aws-sdk/client-ssm';
import type { CustomResourceEvent, CustomResourceResponse } from '../../infra/handlers/custom-resource';
import { dispatch } from '../../infra/handlers/index';

/** A template as `Template.toJSON()` gives it. */
export interface TemplateJson {
  readonly Resources: Readonly<Record<string, ResourceJson>>;
}

interface ResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
}

/** What the stack holds of one resource after a deployment. */
interface Deployed {
  readonly type: string;
  readonly physicalId: string;
  readonly properties: Record<string, unknown>;
  readonly attributes: Readonly<Record<string, string>>;
  readonly deletionPolicy?: string;
}

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';

/**
 * A small CloudFormation for the resources that own live state: it creates, updates (only when the resolved
 * properties changed) and deletes them as CloudFormation does, and acts for each type as its resource handler does.
 *
 * - `AWS::ElasticLoadBalancingV2::ListenerRule`: create and update send the template's conditions *and actions*
 *   (CreateRule, ModifyRule), which is what writes the template's weights back (aws/aws-cdk#36649);
 * - `AWS::SSM::Parameter`: create puts the value with Overwrite false, any update puts the template's value with
 *   Overwrite true (aws-cloudformation-resource-providers-ssm, Translator.updatePutParameterRequest);
 * - `Custom::*`: berth's own handler, with the response CloudFormation would get;
 * - `AWS::ECS::Service`: records the load-balancer configuration CloudFormation would send, and sends the desired
 *   count as CloudFormation does: 1 on create when the template names none, and on update only when it names one
 *   ("For existing services, if a desired count is not specified, it is omitted from the operation");
 * - `AWS::ApplicationAutoScaling::ScalableTarget`: what RegisterScalableTarget does to an ECS service, moves its
 *   count into the range (Application Auto Scaling API reference, RegisterScalableTarget);
 * - anything else gets a fixed physical id derived from its logical id.
 *
 * A logical id whose type changes fails the whole deployment before anything changes, as CloudFormation refuses
 * it ("Update of resource type is not permitted").
 */
export class StackDeployments {
  private deployed = new Map<string, Deployed>();
  /** the responses berth's handler gave, in order. */
  readonly responses: CustomResourceResponse[] = [];
  /** the `LoadBalancers` the last deployment sent for each ECS service. */
  readonly serviceLoadBalancers = new Map<string, unknown>();
  private readonly clients = {
    elbv2: new ElasticLoadBalancingV2Client({ region: REGION }),
    ssm: new SSMClient({ region: REGION }),
    autoScaling: new AutoScalingClient({ region: REGION }),
    ecs: new ECSClient({ region: REGION }),
  };
  private requests = 0;

  /** The physical id (the value of `Ref`) of a deployed resource. */
  ref(logicalId: string): string {
    const resource = this.deployed.get(logicalId);
    if (!resource) throw new Error(`${logicalId} is not deployed`);
    return resource.physicalId;
  }

  /** An attribute (`Fn::GetAtt`) of a deployed resource. */
  attribute(logicalId: string, name: string): string {
    const value = this.deployed.get(logicalId)?.attributes[name];
    if (value === undefined) throw new Error(`${logicalId} has no attribute ${name}`);
    return value;
  }

  /**
   * Deploys a template: a create, or an update of the stack deployed before.
   * @param template the stack's template
   */
  async deploy(template: TemplateJson): Promise<void> {
    for (const [id, resource] of Object.entries(template.Resources)) {
      const before = this.deployed.get(id);
      if (before && before.type !== resource.Type) {
        throw new Error(
          `Update of resource type is not permitted. The new template modifies resource type of the following resources: [${id}]`,
        );
      }
    }
    const next = new Map<string, Deployed>();
    const replaced: [string, Deployed][] = [];
    for (const id of dependencyOrder(template)) {
      const resource = template.Resources[id]!;
      const properties = this.resolve(resource.Properties ?? {}, next) as Record<string, unknown>;
      const before = this.deployed.get(id);
      const deployed = await this.apply(id, resource, properties, before);
      next.set(id, deployed);
      if (before && before.physicalId !== deployed.physicalId) replaced.push([id, before]);
    }
    // cleanup: what left the template, and what a replacement or a new physical id left behind.
    for (const [id, before] of this.deployed) if (!next.has(id)) await this.remove(id, before);
    for (const [id, before] of replaced) await this.remove(id, before);
    this.deployed = next;
  }

  /**
   * Deletes the stack: every resource, except those retained.
   */
  async destroy(): Promise<void> {
    for (const [id, before] of this.deployed) await this.remove(id, before);
    this.deployed = new Map();
  }

  private async apply(
    id: string,
    resource: ResourceJson,
    properties: Record<string, unknown>,
    before: Deployed | undefined,
  ): Promise<Deployed> {
    const unchanged = before && JSON.stringify(before.properties) === JSON.stringify(properties);
    const deletionPolicy = resource.DeletionPolicy;
    const keep = (physicalId: string, attributes: Readonly<Record<string, string>> = {}): Deployed => ({
      type: resource.Type,
      physicalId,
      properties,
      attributes,
      ...(deletionPolicy ? { deletionPolicy } : {}),
    });
    if (unchanged) return { ...before, properties };
    if (resource.Type.startsWith('Custom::')) {
      const response = await this.call({
        RequestType: before ? 'Update' : 'Create',
        ResourceType: resource.Type,
        LogicalResourceId: id,
        ...(before ? { PhysicalResourceId: before.physicalId, OldResourceProperties: asCustomResourceSees(before.properties) } : {}),
        ResourceProperties: asCustomResourceSees(properties),
      });
      return keep(response.PhysicalResourceId, response.Data ?? {});
    }
    switch (resource.Type) {
      case 'AWS::ElasticLoadBalancingV2::ListenerRule': {
        const conditions = properties.Conditions as RuleCondition[];
        const actions = properties.Actions as Action[];
        if (!before) {
          const created = await this.clients.elbv2.send(
            new CreateRuleCommand({
              ListenerArn: properties.ListenerArn as string,
              Priority: Number(properties.Priority),
              Conditions: conditions,
              Actions: actions,
            }),
          );
          return keep(created.Rules![0]!.RuleArn!);
        }
        await this.clients.elbv2.send(new ModifyRuleCommand({ RuleArn: before.physicalId, Conditions: conditions, Actions: actions }));
        if (before.properties.Priority !== properties.Priority) {
          await this.clients.elbv2.send(
            new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: before.physicalId, Priority: Number(properties.Priority) }] }),
          );
        }
        return keep(before.physicalId);
      }
      case 'AWS::SSM::Parameter': {
        const name = properties.Name as string;
        const common = {
          Name: name,
          Value: properties.Value as string,
          Type: 'String' as const,
          ...(properties.AllowedPattern ? { AllowedPattern: properties.AllowedPattern as string } : {}),
          ...(properties.Description ? { Description: properties.Description as string } : {}),
        };
        const tags = Object.entries((properties.Tags ?? {}) as Record<string, string>).map(([Key, Value]): Tag => ({ Key, Value }));
        await this.clients.ssm.send(
          new PutParameterCommand(
            before ? { ...common, Overwrite: true } : { ...common, Overwrite: false, ...(tags.length > 0 ? { Tags: tags } : {}) },
          ),
        );
        return keep(name);
      }
      case 'AWS::ECS::Service': {
        this.serviceLoadBalancers.set(id, properties.LoadBalancers);
        const cluster = String(properties.Cluster ?? 'default');
        const desiredCount = properties.DesiredCount === undefined ? undefined : Number(properties.DesiredCount);
        if (before) {
          await this.clients.ecs.send(
            new UpdateServiceCommand({ cluster, service: before.attributes.Name, ...(desiredCount === undefined ? {} : { desiredCount }) }),
          );
          return keep(before.physicalId, before.attributes);
        }
        await this.clients.ecs.send(new CreateServiceCommand({ cluster, serviceName: id, desiredCount: desiredCount ?? 1 }));
        const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${cluster}/${id}`;
        return keep(arn, { Name: id, ServiceArn: arn });
      }
      case 'AWS::ApplicationAutoScaling::ScalableTarget': {
        await this.registerScalableTarget(properties);
        return keep(before?.physicalId ?? fakePhysicalId(id, resource.Type));
      }
      default:
        return keep(before?.physicalId ?? fakePhysicalId(id, resource.Type));
    }
  }

  /** Moves an ECS service's count into the target's range, as RegisterScalableTarget does. */
  private async registerScalableTarget(properties: Record<string, unknown>): Promise<void> {
    const [namespace, cluster, service] = String(properties.ResourceId).split('/');
    if (properties.ServiceNamespace !== 'ecs' || namespace !== 'service') return;
    const described = await this.clients.ecs.send(new DescribeServicesCommand({ cluster, services: [service!] }));
    const current = described?.services?.[0]?.desiredCount;
    if (current === undefined) return;
    const inRange = Math.min(Math.max(current, Number(properties.MinCapacity)), Number(properties.MaxCapacity));
    if (inRange !== current) await this.clients.ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: inRange }));
  }

  private async remove(id: string, before: Deployed): Promise<void> {
    if (before.deletionPolicy === 'Retain') return;
    if (before.type.startsWith('Custom::')) {
      await this.call({
        RequestType: 'Delete',
        ResourceType: before.type,
        LogicalResourceId: id,
        PhysicalResourceId: before.physicalId,
        ResourceProperties: asCustomResourceSees(before.properties),
      });
      return;
    }
    if (before.type === 'AWS::ElasticLoadBalancingV2::ListenerRule')
      await this.clients.elbv2.send(new DeleteRuleCommand({ RuleArn: before.physicalId }));
    if (before.type === 'AWS::SSM::Parameter') await this.clients.ssm.send(new DeleteParameterCommand({ Name: before.physicalId }));
  }

  private async call(request: Omit<CustomResourceEvent, 'ResponseURL' | 'StackId' | 'RequestId'>): Promise<CustomResourceResponse> {
    const event: CustomResourceEvent = {
      ...request,
      ResponseURL: 'https://cloudformation-custom-resource-response.invalid/response',
      StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/test/1`,
      RequestId: `request-${++this.requests}`,
    };
    const response = await dispatch(event, this.clients, async () => undefined);
    this.responses.push(response);
    if (response.Status === 'FAILED') throw new Error(`${request.LogicalResourceId} ${request.RequestType} failed: ${response.Reason}`);
    return response;
  }

  /** Resolves intrinsics as CloudFormation would at this point of the deployment; others become a stable string. */
  private resolve(value: unknown, next: Map<string, Deployed>): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v, next));
    if (value === null || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    if (keys.length === 1) {
      const [key] = keys as [string];
      const argument = object[key];
      if (key === 'Ref') {
        const name = argument as string;
        if (name === 'AWS::Partition') return 'aws';
        if (name === 'AWS::Region') return REGION;
        if (name === 'AWS::AccountId') return ACCOUNT;
        if (name.startsWith('AWS::')) return `pseudo:${name}`;
        return next.get(name)?.physicalId ?? fakePhysicalId(name, '');
      }
      if (key === 'Fn::GetAtt') {
        const [id, attribute] = argument as [string, string];
        return next.get(id)?.attributes[attribute] ?? `${id}.${attribute}`;
      }
      if (key === 'Fn::Join') {
        const [separator, parts] = argument as [string, unknown[]];
        return (this.resolve(parts, next) as unknown[]).map(String).join(separator);
      }
      if (key === 'Fn::Split') {
        const [separator, source] = argument as [string, unknown];
        return String(this.resolve(source, next)).split(separator);
      }
      if (key === 'Fn::Select') {
        const [index, list] = argument as [number, unknown];
        return (this.resolve(list, next) as unknown[])[Number(index)];
      }
      if (key.startsWith('Fn::')) return `${key}(${JSON.stringify(this.resolve(argument, next))})`;
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(object[k], next)]));
  }
}

/** CloudFormation passes every number and boolean in a custom resource's properties as a string. */
function asCustomResourceSees(value: unknown): Record<string, unknown> {
  const convert = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(convert);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, convert(x)]));
    return v;
  };
  return convert(value) as Record<string, unknown>;
}

function fakePhysicalId(logicalId: string, type: string): string {
  if (type === 'AWS::ElasticLoadBalancingV2::TargetGroup')
    return `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${logicalId}/0123456789abcdef`;
  if (type === 'AWS::ElasticLoadBalancingV2::Listener')
    return `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/berth/0123456789abcdef/${logicalId}`;
  return `physical-${logicalId}`;
}

/** The template's resources, each after every resource it references or depends on. */
function dependencyOrder(template: TemplateJson): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id) || !template.Resources[id]) return;
    seen.add(id);
    const resource = template.Resources[id];
    const dependsOn = resource.DependsOn === undefined ? [] : ([] as string[]).concat(resource.DependsOn);
    for (const dependency of [...dependsOn, ...references(resource.Properties)]) visit(dependency);
    order.push(id);
  };
  for (const id of Object.keys(template.Resources)) visit(id);
  return order;
}

function references(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(references);
  if (value === null || typeof value !== 'object') return [];
  const object = value as Record<string, unknown>;
  if (typeof object.Ref === 'string') return [object.Ref];
  if (Array.isArray(object['Fn::GetAtt'])) return [(object['Fn::GetAtt'] as string[])[0]!];
  return Object.values(object).flatMap(references);
}
