import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { DomainConfig, EnvironmentConfig } from '../config';

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
   * @default 10
   */
  readonly testRulePriority?: number;
  /**
   * priority of the production listener rule.
   * @default 20
   */
  readonly productionRulePriority?: number;
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
  /** the production rule: the subdomain, forwarded to whichever target group ECS marks as production. */
  readonly productionRule: elbv2.ApplicationListenerRule;
  /** the test rule: the subdomain plus the test header (and source CIDRs), forwarded to green during a release. */
  readonly testRule: elbv2.ApplicationListenerRule;

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
        port: environment.container.port,
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
    // groups: ECS moves the weights between them during a release.
    const forwardToBlue = () =>
      elbv2.ListenerAction.weightedForward([
        { targetGroup: this.blueTargetGroup, weight: 100 },
        { targetGroup: this.greenTargetGroup, weight: 0 },
      ]);
    const host = elbv2.ListenerCondition.hostHeaders([this.domainName]);
    const { testRule } = environment;
    this.testRule = new elbv2.ApplicationListenerRule(this, 'TestRule', {
      listener: this.httpsListener,
      priority: props.testRulePriority ?? 10,
      conditions: [
        host,
        elbv2.ListenerCondition.httpHeader(testRule.headerName, [testRule.headerValue]),
        ...(testRule.sourceCidrs.length > 0 ? [elbv2.ListenerCondition.sourceIps([...testRule.sourceCidrs])] : []),
      ],
      action: forwardToBlue(),
    });
    this.productionRule = new elbv2.ApplicationListenerRule(this, 'ProductionRule', {
      listener: this.httpsListener,
      priority: props.productionRulePriority ?? 20,
      conditions: [host],
      action: forwardToBlue(),
    });

    const aliasTarget = route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(this.loadBalancer));
    new route53.ARecord(this, 'AliasRecord', { zone: this.hostedZone, recordName: this.domainName, target: aliasTarget });
    if (dualStack) {
      new route53.AaaaRecord(this, 'AliasRecordIpv6', { zone: this.hostedZone, recordName: this.domainName, target: aliasTarget });
    }
  }
}
