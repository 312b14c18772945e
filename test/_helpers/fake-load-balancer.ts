import {
  type Action,
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeRulesCommand,
  ModifyRuleCommand,
  type Rule,
  type RuleCondition,
  SetRulePrioritiesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { aws } from './mock-aws';

/** An AWS SDK error with the name the SDK gives a service exception. */
function awsError(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

/** One listener rule as ELB keeps it. */
interface StoredRule {
  listenerArn: string;
  priority: string;
  conditions: RuleCondition[];
  actions: Action[];
}

/**
 * A scripted Elastic Load Balancing v2 behind the `aws.elbv2` mock: listener rules that CreateRule, ModifyRule
 * ("any properties that you do not specify are unchanged"), SetRulePriorities, DeleteRule and DescribeRules act on,
 * and {@link FakeLoadBalancer.release} that moves the weights as an ECS blue/green release does.
 */
export class FakeLoadBalancer {
  private readonly rules = new Map<string, StoredRule>();
  private next = 1;
  /** every ModifyRule request, in order. */
  readonly modifications: { RuleArn?: string; Actions?: Action[]; Conditions?: RuleCondition[] }[] = [];
  /** when set, where a plain request to this host goes after every change of the rules, in order. */
  watchedHost?: string;
  /** the target group (the heaviest of the matching rule's, or `404`) a request to {@link watchedHost} reached after each change. */
  readonly productionTrail: string[] = [];

  /** Installs the fake on the `aws.elbv2` mock (call after `resetAwsMocks`). */
  install(): this {
    aws.elbv2.on(DescribeRulesCommand).callsFake((input: { ListenerArn?: string; RuleArns?: string[] }) => {
      if (input.RuleArns) {
        const missing = input.RuleArns.find((arn) => !this.rules.has(arn));
        if (missing) throw awsError('RuleNotFoundException', `One or more rules not found: ${missing}`);
        return { Rules: input.RuleArns.map((arn) => this.describe(arn)) };
      }
      return {
        Rules: [...this.rules.keys()]
          .filter((arn) => this.rules.get(arn)!.listenerArn === input.ListenerArn)
          .map((arn) => this.describe(arn)),
      };
    });
    aws.elbv2
      .on(CreateRuleCommand)
      .callsFake((input: { ListenerArn: string; Priority: number; Conditions: RuleCondition[]; Actions: Action[] }) => {
        if ([...this.rules.values()].some((r) => r.listenerArn === input.ListenerArn && r.priority === String(input.Priority))) {
          throw awsError('PriorityInUseException', `Priority '${input.Priority}' is currently in use`);
        }
        const arn = `${input.ListenerArn.replace(':listener/', ':listener-rule/')}/rule${this.next++}`;
        this.rules.set(arn, {
          listenerArn: input.ListenerArn,
          priority: String(input.Priority),
          conditions: input.Conditions,
          actions: input.Actions,
        });
        this.changed();
        return { Rules: [this.describe(arn)] };
      });
    aws.elbv2.on(ModifyRuleCommand).callsFake((input: { RuleArn: string; Actions?: Action[]; Conditions?: RuleCondition[] }) => {
      const rule = this.get(input.RuleArn);
      this.modifications.push(input);
      if (input.Actions) rule.actions = input.Actions;
      if (input.Conditions) rule.conditions = input.Conditions;
      this.changed();
      return { Rules: [this.describe(input.RuleArn)] };
    });
    aws.elbv2.on(SetRulePrioritiesCommand).callsFake((input: { RulePriorities: { RuleArn: string; Priority: number }[] }) => {
      for (const { RuleArn, Priority } of input.RulePriorities) this.get(RuleArn).priority = String(Priority);
      this.changed();
      return { Rules: input.RulePriorities.map((p) => this.describe(p.RuleArn)) };
    });
    aws.elbv2.on(DeleteRuleCommand).callsFake((input: { RuleArn: string }) => {
      this.get(input.RuleArn);
      this.rules.delete(input.RuleArn);
      this.changed();
      return {};
    });
    return this;
  }

  private changed(): void {
    if (this.watchedHost) this.productionTrail.push(this.route(this.watchedHost));
  }

  /**
   * Where the load balancer sends a request: the rule with the lowest priority whose conditions match, and of its
   * forward, the target group with the highest weight; `404` when no rule matches (the listener's default).
   * @param host the Host header
   * @param headers other request headers
   */
  route(host: string, headers: Readonly<Record<string, string>> = {}): string {
    const matches = (c: RuleCondition) => {
      if (c.Field === 'host-header') return (c.HostHeaderConfig?.Values ?? []).includes(host);
      if (c.Field === 'http-header') {
        const value = headers[(c.HttpHeaderConfig?.HttpHeaderName ?? '').toLowerCase()];
        return value !== undefined && (c.HttpHeaderConfig?.Values ?? []).includes(value);
      }
      return false;
    };
    const rule = [...this.rules.entries()]
      .sort((a, b) => Number(a[1].priority) - Number(b[1].priority))
      .find(([, r]) => r.conditions.every(matches));
    if (!rule) return '404';
    const [heaviest] = Object.entries(this.weights(rule[0])).sort((a, b) => b[1] - a[1]);
    return heaviest?.[0] ?? '404';
  }

  private get(arn: string): StoredRule {
    const rule = this.rules.get(arn);
    if (!rule) throw awsError('RuleNotFoundException', `One or more rules not found: ${arn}`);
    return rule;
  }

  private describe(arn: string): Rule {
    const rule = this.get(arn);
    return { RuleArn: arn, Priority: rule.priority, Conditions: rule.conditions, Actions: rule.actions, IsDefault: false };
  }

  /** The rules of a listener, by ARN. */
  rulesOf(listenerArn: string): Rule[] {
    return [...this.rules.keys()].filter((arn) => this.rules.get(arn)!.listenerArn === listenerArn).map((arn) => this.describe(arn));
  }

  /** A rule's forward weights, by target group ARN. */
  weights(ruleArn: string): Record<string, number> {
    const forward = this.get(ruleArn).actions.find((a) => a.Type === 'forward');
    return Object.fromEntries((forward?.ForwardConfig?.TargetGroups ?? []).map((g) => [g.TargetGroupArn ?? '', g.Weight ?? 1]));
  }

  /**
   * One ECS blue/green release, as far as the rules go: the new tasks start in the group production does not use,
   * production shifts to it, and the test rule is left on the other group, ready for the next release.
   * @param productionRuleArn the production rule
   * @param testRuleArn the test rule
   */
  release(productionRuleArn: string, testRuleArn: string): void {
    const weights = this.weights(productionRuleArn);
    const [serving, idle] = Object.entries(weights)
      .sort((a, b) => b[1] - a[1])
      .map(([arn]) => arn);
    const forward = (to: string, other: string): Action[] => [
      {
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: to, Weight: 100 },
            { TargetGroupArn: other, Weight: 0 },
          ],
        },
      },
    ];
    this.get(productionRuleArn).actions = forward(idle!, serving!);
    this.get(testRuleArn).actions = forward(serving!, idle!);
    this.changed();
  }
}
