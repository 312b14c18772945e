import type { RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2';
import { type CustomResource, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { DomainConfig, EnvironmentConfig } from '../config';
import { LISTENER_RULE_RESOURCE_TYPE, type ListenerRuleProperties } from '../handlers/listener-rule';
import { HandlerFunction } from './handler-function';
import { nagResource } from './nag-resource';

/**
 * The port of the blue and green target groups. It is only the default for targets registered without one: ECS
 * registers each task as its IP address with the container port (ECS developer guide, "Use an Application Load
 * Balancer": tasks are registered as an address and port combination), and health checks use each target's
 * port. Keeping it fixed means a change of `container.port` never replaces a target group, which would leave
 * production on a group without targets.
 */
export const TARGET_GROUP_PORT = 8080;

/** Properties of {@link Ingress}. */
export interface IngressProps {
  /** the VPC; the load balancer goes into its public subnets. */
  readonly vpc: ec2.IVpc;
  /** the hosted zone the environment's subdomain lives in. */
  readonly domain: DomainConfig;
  /** the environment's settings. */
  readonly environment: EnvironmentConfig;
  /**
   * TLS policy of the 443 listener.
   * @default elbv2.SslPolicy.TLS13_13 - TLS 1.3 only
   */
  readonly sslPolicy?: elbv2.SslPolicy;
  /**
   * priority of the test listener rule; it must come before the production rule, which matches the same host.
   * @default 5 - before the rules at 10 and 20 that berth created as `AWS::ElasticLoadBalancingV2::ListenerRule`
   *   before, so the new rules take over from them at once while they still exist
   */
  readonly testRulePriority?: number;
  /**
   * priority of the production listener rule.
   * @default 15
   */
  readonly productionRulePriority?: number;
  /**
   * the key the log group of the stack's custom-resource function is encrypted with.
   * @default - CloudWatch Logs' own encryption
   */
  readonly logsKey?: kms.IKey;
}

/**
 * How requests reach one environment: an internet-facing ALB that serves the environment's subdomain on
 * 443 (and redirects 80 there), its certificate and DNS records, its access logs, and the blue and green
 * target groups with the two listener rules that ECS blue/green deployments switch between them.
 */
export class Ingress extends Construct {
  /** the environment's fully qualified domain name, e.g. `be.example.com`. */
  readonly domainName: string;
  /** `https://<domainName>`. */
  readonly url: string;
  /** the application load balancer. */
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** the 443 listener: the subdomain goes to the service, any other host name gets a 404. */
  readonly httpsListener: elbv2.ApplicationListener;
  /** the 80 listener, which only redirects to 443. */
  readonly httpListener: elbv2.ApplicationListener;
  /** the certificate of the 443 listener, validated through Route 53. */
  readonly certificate: acm.Certificate;
  /** the hosted zone that holds the alias records. */
  readonly hostedZone: route53.IHostedZone;
  /** where the load balancer writes its access logs. */
  readonly accessLogBucket: s3.Bucket;
  /** the target group that serves production when the service is first created. */
  readonly blueTargetGroup: elbv2.ApplicationTargetGroup;
  /** the target group that a release's new tasks start in. */
  readonly greenTargetGroup: elbv2.ApplicationTargetGroup;
  /**
   * the production rule: the subdomain, forwarded to whichever target group ECS marks as production. A custom
   * resource, so that no stack update writes the template's weights over those ECS set (see {@link ListenerRuleProperties}).
   */
  readonly productionRule: CustomResource;
  /** the test rule: the subdomain plus the test header (and source CIDRs), forwarded to green during a release. */
  readonly testRule: CustomResource;
  /** ARN of the production rule. */
  readonly productionRuleArn: string;
  /** ARN of the test rule. */
  readonly testRuleArn: string;
  /** the target group production is served from at this deployment, read from the live rule (blue when created). */
  readonly servingTargetGroupArn: string;
  /** the other target group, where a release's new tasks start. */
  readonly idleTargetGroupArn: string;

  constructor(scope: Construct, id: string, props: IngressProps) {
    super(scope, id);
    const { environment, vpc } = props;
    this.domainName = `${environment.subdomain}.${props.domain.name}`;
    this.url = `https://${this.domainName}`;

    this.hostedZone = route53.HostedZone.fromHostedZoneAttributes(this, 'HostedZone', {
      hostedZoneId: props.domain.hostedZoneId,
      zoneName: props.domain.name,
    });
    this.certificate = new acm.Certificate(this, 'Certificate', {
      domainName: this.domainName,
      validation: acm.CertificateValidation.fromDns(this.hostedZone),
    });

    this.accessLogBucket = new s3.Bucket(this, 'AccessLogBucket', {
      // ALB log delivery writes with SSE-S3 only; it cannot use a KMS key.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [
        {
          expiration: Duration.days(environment.accessLogRetentionDays),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      // the logs are evidence after an incident: they outlive the stack and expire by the rule above.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogBucket).acknowledge(
      {
        id: 'AwsSolutions-S1',
        reason: 'this bucket holds access logs itself; logging its own access would need yet another log bucket.',
      },
      {
        id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
        reason: 'this bucket holds access logs itself; logging its own access would need yet another log bucket.',
      },
      {
        id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
        reason: 'encrypted with SSE-S3, the only encryption ALB access log delivery supports.',
      },
      {
        id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
        reason: 'Object Lock would keep the lifecycle rule from expiring old logs; versioning and blocked public access protect them.',
      },
      {
        id: 'cdk-validator-cfnguard::s3_event_notifications_enabled_check',
        reason: 'nothing processes access logs as they arrive; they are read when investigating an incident.',
      },
    );

    const dualStack = environment.dualStack;
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      ipAddressType: dualStack ? elbv2.IpAddressType.DUAL_STACK : elbv2.IpAddressType.IPV4,
      dropInvalidHeaderFields: true,
      deletionProtection: environment.deletionProtection,
    });
    this.loadBalancer.logAccessLogs(this.accessLogBucket);
    if (!environment.deletionProtection) {
      Validations.of(this.loadBalancer).acknowledge({
        id: 'cdk-validator-cfnguard::elbv2_deletion_protection_enabled_check',
        reason:
          'deletion protection is off by config for this environment (pre by default), which is torn down and rebuilt freely; live keeps it on.',
      });
    }
    Validations.of(this.loadBalancer).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: 'an internet-facing load balancer for a public API: 80 (redirect only) and 443 are open to the world on purpose.',
    });

    this.httpsListener = this.loadBalancer.addListener('HttpsListener', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [elbv2.ListenerCertificate.fromCertificateManager(this.certificate)],
      sslPolicy: props.sslPolicy ?? elbv2.SslPolicy.TLS13_13,
      open: true,
      // any host name but the subdomain (a scanner, the raw ALB DNS name) gets nothing from the application.
      defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'not found' }),
    });
    this.httpListener = this.loadBalancer.addListener('HttpListener', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: true,
      defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
    });

    const targetGroup = (targetGroupId: string) =>
      new elbv2.ApplicationTargetGroup(this, targetGroupId, {
        vpc,
        // awsvpc tasks have their own address: ECS blue/green registers them by IP.
        targetType: elbv2.TargetType.IP,
        protocol: elbv2.ApplicationProtocol.HTTP,
        port: TARGET_GROUP_PORT,
        deregistrationDelay: Duration.seconds(environment.deregistrationDelaySeconds),
        healthCheck: {
          path: environment.healthCheck.path,
          protocol: elbv2.Protocol.HTTP,
          healthyHttpCodes: '200-299',
          interval: Duration.seconds(environment.healthCheck.intervalSeconds),
          timeout: Duration.seconds(environment.healthCheck.timeoutSeconds),
          healthyThresholdCount: environment.healthCheck.healthyThreshold,
          unhealthyThresholdCount: environment.healthCheck.unhealthyThreshold,
        },
      });
    this.blueTargetGroup = targetGroup('BlueTargetGroup');
    this.greenTargetGroup = targetGroup('GreenTargetGroup');

    // both rules forward only (ECS blue/green rejects rules that mix in other actions) and name both target
    // groups: ECS moves the weights between them during a release, and the handler never writes them back.
    const handler = HandlerFunction.of(this, props.logsKey ? { logsKey: props.logsKey } : {});
    const listenerArn = this.httpsListener.listenerArn;
    // listener-rule/app/<lb>/<lb-id>/<listener-id>/*: the rules of this listener only.
    const rulesOfListener = Fn.join('', [
      Fn.select(0, Fn.split(':listener/', listenerArn)),
      ':listener-rule/',
      Fn.select(1, Fn.split(':listener/', listenerArn)),
      '/*',
    ]);
    handler.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['elasticloadbalancing:CreateRule'], resources: [listenerArn] }));
    handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities', 'elasticloadbalancing:DeleteRule'],
        resources: [rulesOfListener],
      }),
    );
    // DescribeRules has no resource-level permissions (Service Authorization Reference, Elastic Load Balancing V2).
    handler.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['elasticloadbalancing:DescribeRules'], resources: ['*'] }));
    Validations.of(handler.role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'elasticloadbalancing:DescribeRules has no resource-level permissions; it only reads.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagResource(Stack.of(this).resolve(rulesOfListener))}]`,
        reason: 'the rules of the HTTPS listener only: their ids are assigned by ELB when they are created.',
      },
    );

    const host: RuleCondition = { Field: 'host-header', HostHeaderConfig: { Values: [this.domainName] } };
    const { testRule } = environment;
    const rule = (ruleId: string, priority: number, conditions: RuleCondition[]) => {
      const properties: ListenerRuleProperties = {
        ListenerArn: listenerArn,
        Priority: priority,
        Conditions: conditions,
        BlueTargetGroupArn: this.blueTargetGroup.targetGroupArn,
        GreenTargetGroupArn: this.greenTargetGroup.targetGroupArn,
      };
      const resource = handler.resource(this, ruleId, LISTENER_RULE_RESOURCE_TYPE, { ...properties });
      // the function must be allowed to create the rule before CloudFormation asks it to.
      resource.node.addDependency(handler.role);
      return resource;
    };
    this.testRule = rule('TestRule', props.testRulePriority ?? 5, [
      host,
      { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: testRule.headerName, Values: [testRule.headerValue] } },
      ...(testRule.sourceCidrs.length > 0 ? [{ Field: 'source-ip', SourceIpConfig: { Values: [...testRule.sourceCidrs] } }] : []),
    ]);
    this.productionRule = rule('ProductionRule', props.productionRulePriority ?? 15, [host]);
    this.testRuleArn = this.testRule.ref;
    this.productionRuleArn = this.productionRule.ref;
    this.servingTargetGroupArn = this.productionRule.getAttString('ServingTargetGroupArn');
    this.idleTargetGroupArn = this.productionRule.getAttString('IdleTargetGroupArn');
    // the rules are not L2 constructs, so tell the target groups which listener (and which resource) attaches them:
    // that connects the load balancer's security group to the tasks, and makes the service wait for the rules.
    for (const group of [this.blueTargetGroup, this.greenTargetGroup]) {
      group.registerListener(this.httpsListener, this.productionRule);
      group.registerListener(this.httpsListener, this.testRule);
    }

    const aliasTarget = route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(this.loadBalancer));
    new route53.ARecord(this, 'AliasRecord', { zone: this.hostedZone, recordName: this.domainName, target: aliasTarget });
    if (dualStack) {
      new route53.AaaaRecord(this, 'AliasRecordIpv6', { zone: this.hostedZone, recordName: this.domainName, target: aliasTarget });
    }
  }
}
