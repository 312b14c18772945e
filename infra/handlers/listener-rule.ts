/**
 * `Custom::BerthListenerRule`: a listener rule that forwards to the blue and green target groups, owned by
 * CloudFormation for what the template says (listener, priority, conditions, which two target groups) and
 * by ECS for the forward weights, which ECS blue/green rewrites at every release.
 *
 * An `AWS::ElasticLoadBalancingV2::ListenerRule` would write the template's weights back at any update of
 * the rule and send production to the group without tasks after an odd number of releases (aws/aws-cdk#36649).
 * This handler creates the rule with blue 100 / green 0 and afterwards never writes the weights: an update
 * changes conditions with ModifyRule without `Actions` ("any properties that you do not specify are unchanged",
 * ELB API reference, ModifyRule) and the priority with SetRulePriorities.
 */
import {
  type Action,
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeRulesCommand,
  type ElasticLoadBalancingV2Client,
  ModifyRuleCommand,
  type Rule,
  type RuleCondition,
  SetRulePrioritiesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  type CustomResourceEvent,
  type CustomResourceResult,
  integerProperty,
  RefusedChange,
  type ResourceProperties,
  stringProperty,
} from './custom-resource';

/** The resource type CloudFormation sends for a rule. */
export const LISTENER_RULE_RESOURCE_TYPE = 'Custom::BerthListenerRule';

/** The properties of a rule in the template; scalars arrive as strings. */
export interface ListenerRuleProperties {
  /** the listener the rule belongs to. */
  readonly ListenerArn: string;
  /** the rule's priority on the listener. */
  readonly Priority: number;
  /** the rule's conditions, as the ELB API spells them. */
  readonly Conditions: RuleCondition[];
  /** the target group production starts on: weight 100 when the rule is created. */
  readonly BlueTargetGroupArn: string;
  /** the other target group: weight 0 when the rule is created. */
  readonly GreenTargetGroupArn: string;
}

/** Attributes of a rule for `Fn::GetAtt`. */
export interface ListenerRuleAttributes {
  /** the target group the rule sends (most of) its traffic to now. */
  readonly ServingTargetGroupArn: string;
  /** the other one of the two. */
  readonly IdleTargetGroupArn: string;
  /** `blue` or `green`: which of the two the rule serves. */
  readonly Serving: 'blue' | 'green';
}

/** The weight of each target group a rule forwards to. */
export type ForwardWeights = ReadonlyMap<string, number>;

function parseProperties(properties: ResourceProperties): ListenerRuleProperties {
  const conditions = properties.Conditions;
  if (!Array.isArray(conditions) || conditions.length === 0) throw new Error('property Conditions is missing or empty');
  return {
    ListenerArn: stringProperty(properties, 'ListenerArn'),
    Priority: integerProperty(properties, 'Priority'),
    Conditions: conditions as RuleCondition[],
    BlueTargetGroupArn: stringProperty(properties, 'BlueTargetGroupArn'),
    GreenTargetGroupArn: stringProperty(properties, 'GreenTargetGroupArn'),
  };
}

/**
 * The weights of a rule's forward action (a plain forward to one group counts as weight 1).
 * @param rule the rule as DescribeRules returns it
 */
export function forwardWeights(rule: Rule): ForwardWeights {
  const forward = rule.Actions?.find((a) => a.Type === 'forward');
  const groups = forward?.ForwardConfig?.TargetGroups ?? [];
  if (groups.length > 0) return new Map(groups.map((g) => [g.TargetGroupArn ?? '', g.Weight ?? 1]));
  return new Map(forward?.TargetGroupArn ? [[forward.TargetGroupArn, 1]] : []);
}

function forwardAction(blue: string, blueWeight: number, green: string, greenWeight: number): Action[] {
  return [
    {
      Type: 'forward',
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: blue, Weight: blueWeight },
          { TargetGroupArn: green, Weight: greenWeight },
        ],
      },
    },
  ];
}

/** Conditions as a canonical string: order of conditions and of values does not matter. */
function conditionKey(conditions: readonly RuleCondition[]): string {
  const canonical = conditions.map((c) => {
    const values = (list: readonly string[] | undefined) => [...(list ?? [])].map((v) => v.toLowerCase()).sort();
    return JSON.stringify({
      field: c.Field,
      host: values(c.HostHeaderConfig?.Values ?? (c.Field === 'host-header' ? c.Values : undefined)),
      header: c.HttpHeaderConfig ? [c.HttpHeaderConfig.HttpHeaderName?.toLowerCase(), values(c.HttpHeaderConfig.Values)] : undefined,
      source: values(c.SourceIpConfig?.Values),
      path: values(c.PathPatternConfig?.Values ?? (c.Field === 'path-pattern' ? c.Values : undefined)),
    });
  });
  return canonical.sort().join('|');
}

function sameConditions(a: readonly RuleCondition[], b: readonly RuleCondition[]): boolean {
  return conditionKey(a) === conditionKey(b);
}

async function listenerRules(elbv2: ElasticLoadBalancingV2Client, listenerArn: string): Promise<Rule[]> {
  const rules: Rule[] = [];
  let marker: string | undefined;
  do {
    const page = await elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn, ...(marker ? { Marker: marker } : {}) }));
    rules.push(...(page.Rules ?? []));
    marker = page.NextMarker;
  } while (marker);
  return rules;
}

async function describeRule(elbv2: ElasticLoadBalancingV2Client, ruleArn: string): Promise<Rule | undefined> {
  try {
    const response = await elbv2.send(new DescribeRulesCommand({ RuleArns: [ruleArn] }));
    return response.Rules?.[0];
  } catch (err) {
    if ((err as Error).name === 'RuleNotFoundException' || (err as Error).name === 'RuleNotFound') return undefined;
    throw err;
  }
}

/**
 * Which of the two target groups a rule serves: the one with the higher weight (blue on a tie).
 * @param weights the rule's forward weights
 * @param properties the rule's blue and green target groups
 */
export function servingOf(
  weights: ForwardWeights,
  properties: Pick<ListenerRuleProperties, 'BlueTargetGroupArn' | 'GreenTargetGroupArn'>,
): ListenerRuleAttributes {
  const blue = weights.get(properties.BlueTargetGroupArn) ?? 0;
  const green = weights.get(properties.GreenTargetGroupArn) ?? 0;
  return green > blue
    ? { ServingTargetGroupArn: properties.GreenTargetGroupArn, IdleTargetGroupArn: properties.BlueTargetGroupArn, Serving: 'green' }
    : { ServingTargetGroupArn: properties.BlueTargetGroupArn, IdleTargetGroupArn: properties.GreenTargetGroupArn, Serving: 'blue' };
}

function result(ruleArn: string, weights: ForwardWeights, properties: ListenerRuleProperties): CustomResourceResult {
  return { physicalResourceId: ruleArn, data: { RuleArn: ruleArn, ...servingOf(weights, properties) } };
}

/**
 * Creates the rule. Production starts on blue, unless the listener already has a rule with the same
 * conditions over the same two target groups (the `AWS::ElasticLoadBalancingV2::ListenerRule` an earlier berth
 * deployed, about to be deleted by this stack update): then the new rule copies its weights, so taking over
 * from it never moves traffic.
 */
async function createRule(elbv2: ElasticLoadBalancingV2Client, properties: ListenerRuleProperties): Promise<CustomResourceResult> {
  const { BlueTargetGroupArn: blue, GreenTargetGroupArn: green } = properties;
  const predecessor = (await listenerRules(elbv2, properties.ListenerArn)).find((rule) => {
    if (rule.IsDefault || !sameConditions(rule.Conditions ?? [], properties.Conditions)) return false;
    const weights = forwardWeights(rule);
    return weights.size === 2 && weights.has(blue) && weights.has(green);
  });
  const inherited = predecessor ? forwardWeights(predecessor) : new Map([[blue, 100]]);
  const weights = new Map([
    [blue, inherited.get(blue) ?? 0],
    [green, inherited.get(green) ?? 0],
  ]);
  const created = await elbv2.send(
    new CreateRuleCommand({
      ListenerArn: properties.ListenerArn,
      Priority: properties.Priority,
      Conditions: properties.Conditions,
      Actions: forwardAction(blue, weights.get(blue)!, green, weights.get(green)!),
    }),
  );
  const ruleArn = created.Rules?.[0]?.RuleArn;
  if (!ruleArn) throw new Error('CreateRule returned no rule ARN');
  console.log(`created ${ruleArn} (priority ${properties.Priority}) with blue ${weights.get(blue)}, green ${weights.get(green)}`);
  return result(ruleArn, weights, properties);
}

/**
 * The weights after a target-group change: each of blue and green keeps the weight of the group it replaces.
 * Refused when a group that receives traffic would be replaced, because its replacement has no targets yet
 * (ECS registers tasks only during a deployment): production would answer 503.
 */
function carryWeights(
  live: ForwardWeights,
  old: ListenerRuleProperties,
  now: ListenerRuleProperties,
  ruleArn: string,
): Map<string, number> {
  const slots = [
    [old.BlueTargetGroupArn, now.BlueTargetGroupArn],
    [old.GreenTargetGroupArn, now.GreenTargetGroupArn],
  ] as const;
  for (const arn of live.keys()) {
    if (arn !== old.BlueTargetGroupArn && arn !== old.GreenTargetGroupArn) {
      throw new RefusedChange(
        `rule ${ruleArn} forwards to ${arn}, which is neither of the environment's target groups; fix the rule by hand first`,
      );
    }
  }
  const weights = new Map<string, number>();
  for (const [before, after] of slots) {
    const weight = live.get(before) ?? 0;
    if (before !== after && weight > 0) {
      throw new RefusedChange(
        `refusing to replace target group ${before}: rule ${ruleArn} sends it ${weight} of its traffic, and its replacement ${after} has no targets; ` +
          'change the template so the serving target group is kept (see the README, "Traffic and releases")',
      );
    }
    weights.set(after, weight);
  }
  return weights;
}

async function updateRule(elbv2: ElasticLoadBalancingV2Client, event: CustomResourceEvent): Promise<CustomResourceResult> {
  const now = parseProperties(event.ResourceProperties);
  const old = parseProperties(event.OldResourceProperties ?? event.ResourceProperties);
  const ruleArn = event.PhysicalResourceId ?? '';
  const live = await describeRule(elbv2, ruleArn);
  // a new listener is a new rule; CloudFormation deletes the old one (with its listener) afterwards.
  if (!live || old.ListenerArn !== now.ListenerArn) return createRule(elbv2, now);

  let weights = forwardWeights(live);
  if (old.BlueTargetGroupArn !== now.BlueTargetGroupArn || old.GreenTargetGroupArn !== now.GreenTargetGroupArn) {
    const carried = carryWeights(weights, old, now, ruleArn);
    await elbv2.send(
      new ModifyRuleCommand({
        RuleArn: ruleArn,
        Actions: forwardAction(
          now.BlueTargetGroupArn,
          carried.get(now.BlueTargetGroupArn)!,
          now.GreenTargetGroupArn,
          carried.get(now.GreenTargetGroupArn)!,
        ),
      }),
    );
    weights = carried;
  }
  if (!sameConditions(live.Conditions ?? [], now.Conditions)) {
    // no Actions: the weights stay as ECS left them.
    await elbv2.send(new ModifyRuleCommand({ RuleArn: ruleArn, Conditions: now.Conditions }));
  }
  if (String(now.Priority) !== live.Priority) {
    await elbv2.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: ruleArn, Priority: now.Priority }] }));
  }
  return result(ruleArn, weights, now);
}

async function deleteRule(elbv2: ElasticLoadBalancingV2Client, event: CustomResourceEvent): Promise<CustomResourceResult> {
  const ruleArn = event.PhysicalResourceId ?? '';
  // a failed Create answered with a placeholder id: there is no rule to delete.
  if (ruleArn.startsWith('arn:')) {
    try {
      await elbv2.send(new DeleteRuleCommand({ RuleArn: ruleArn }));
    } catch (err) {
      if ((err as Error).name !== 'RuleNotFoundException' && (err as Error).name !== 'RuleNotFound') throw err;
    }
  }
  return { physicalResourceId: ruleArn };
}

/**
 * Handles one request for a `Custom::BerthListenerRule`.
 * @param elbv2 an Elastic Load Balancing v2 client in the stack's region
 * @param event the request
 */
export async function handleListenerRule(elbv2: ElasticLoadBalancingV2Client, event: CustomResourceEvent): Promise<CustomResourceResult> {
  switch (event.RequestType) {
    case 'Create':
      return createRule(elbv2, parseProperties(event.ResourceProperties));
    case 'Update':
      return updateRule(elbv2, event);
    case 'Delete':
      return deleteRule(elbv2, event);
  }
}
