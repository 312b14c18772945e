import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { DatabaseConfig, DatabaseEngine, DatabaseVariableName, EnvironmentName } from '../config';

/**
 * The environment variables a container gets as ECS secrets, and the field of the database secret's JSON
 * each comes from. The application reads these and needs no code for Secrets Manager.
 */
export const DATABASE_ENVIRONMENT_VARIABLES = {
  DB_HOST: 'host',
  DB_PORT: 'port',
  DB_NAME: 'dbname',
  DB_USER: 'username',
  DB_PASSWORD: 'password',
  // config refuses these names (and DB_SECRET_ARN) in the container's own environment and secrets.
} as const satisfies Record<Exclude<DatabaseVariableName, typeof DATABASE_SECRET_ARN_VARIABLE>, string>;

/**
 * The plain environment variable that holds the secret's ARN: after a rotation, an application whose
 * connections fail to authenticate re-reads the secret with it (its task role may).
 */
export const DATABASE_SECRET_ARN_VARIABLE = 'DB_SECRET_ARN';

/** The port each engine listens on: the clients' default, so no tool needs to be told. */
export const DATABASE_PORTS: Readonly<Record<DatabaseEngine, number>> = { mysql: 3306, postgres: 5432 };

/** Statements slower than this are logged (MySQL slow query log, PostgreSQL `log_min_duration_statement`). */
const SLOW_QUERY_SECONDS = 2;

/** Options of {@link Database.injectCredentials}. */
export interface InjectCredentialsOptions {
  /**
   * whether the application may re-read the secret after a rotation (its running tasks keep the old
   * password in their environment): the task role may read exactly this secret, and the container gets
   * its ARN as {@link DATABASE_SECRET_ARN_VARIABLE}.
   * @default true
   */
  readonly rereadAfterRotation?: boolean;
}

/** Properties of {@link Database}. */
export interface DatabaseProps {
  /** the VPC the database runs in. */
  readonly vpc: ec2.IVpc;
  /**
   * the subnets the database (and its rotation function) is placed in; never public ones.
   * @default - the VPC's private subnets with egress (the rotation function reaches Secrets Manager through NAT)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** the environment the database belongs to, for descriptions and the reasons of acknowledged findings. */
  readonly environmentName: EnvironmentName;
  /** the validated database settings. */
  readonly config: DatabaseConfig;
}

/**
 * An RDS database for one environment: private subnets only, encrypted, backed up, TLS enforced by its
 * parameter group, master credentials generated into Secrets Manager and rotated. Its security group
 * admits, on the database port only, its own clients' group and each group it is told to admit; no
 * CIDR range, ever.
 */
export class Database extends Construct {
  /** the RDS instance. */
  readonly instance: rds.DatabaseInstance;
  /** the master credentials as JSON: host, port, dbname, username, password (and engine). */
  readonly secret: secretsmanager.ISecret;
  /** the database's security group: ingress only on {@link port}, only from admitted security groups. */
  readonly securityGroup: ec2.SecurityGroup;
  /** the database's clients: the application tasks join it, as do the `berth db-shell` task and the rotation function. */
  readonly clientSecurityGroup: ec2.SecurityGroup;
  /** mysql or postgres. */
  readonly engine: DatabaseEngine;
  /** the major version the database runs (`8.4`, `16`). */
  readonly majorVersion: string;
  /** the port the database listens on. */
  readonly port: number;
  /** the name of the database created in the instance. */
  readonly databaseName: string;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { config, environmentName } = props;
    this.engine = config.engine;
    this.majorVersion = config.engineVersion.major;
    this.port = DATABASE_PORTS[config.engine];
    this.databaseName = config.databaseName;
    const vpcSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };

    const engine =
      config.engine === 'mysql'
        ? rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.of(config.engineVersion.full, config.engineVersion.major) })
        : rds.DatabaseInstanceEngine.postgres({
            version: rds.PostgresEngineVersion.of(config.engineVersion.full, config.engineVersion.major),
          });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `berth ${environmentName} database: ${config.engine} port from admitted security groups only`,
      // a database answers connections; it opens none.
      allowAllOutbound: false,
    });
    this.clientSecurityGroup = new ec2.SecurityGroup(this, 'ClientSecurityGroup', {
      vpc: props.vpc,
      description: `berth ${environmentName} database clients: app tasks, the db-shell task and the secret rotation function`,
      allowAllOutbound: false,
    });
    // ECS Exec (SSM messages) and the rotation function (Secrets Manager) call AWS APIs over HTTPS; the
    // egress to the database port is added when the group is admitted below.
    this.clientSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs over HTTPS (SSM messages, Secrets Manager)');

    // a secret of our own rather than Credentials.fromGeneratedSecret, so that its JSON carries `dbname` too.
    const masterSecret = new rds.DatabaseSecret(this, 'Secret', {
      username: engine.defaultUsername ?? 'admin',
      dbname: config.databaseName,
    });

    const parameterGroup = new rds.ParameterGroup(this, 'ParameterGroup', {
      engine,
      description: `berth ${environmentName} ${config.engine} ${config.engineVersion.major}: TLS required`,
      parameters:
        config.engine === 'mysql'
          ? // the slow query log is what is looked at first in an incident; FILE is what CloudWatch Logs exports.
            { require_secure_transport: 'ON', slow_query_log: '1', long_query_time: String(SLOW_QUERY_SECONDS), log_output: 'FILE' }
          : { 'rds.force_ssl': '1', log_min_duration_statement: String(SLOW_QUERY_SECONDS * 1000) },
    });

    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      engine,
      instanceType: new ec2.InstanceType(config.instanceType),
      vpc: props.vpc,
      vpcSubnets,
      securityGroups: [this.securityGroup],
      publiclyAccessible: false,
      port: this.port,
      credentials: rds.Credentials.fromSecret(masterSecret),
      databaseName: config.databaseName,
      parameterGroup,
      storageType: rds.StorageType.GP3,
      allocatedStorage: config.allocatedStorageGiB,
      storageEncrypted: true,
      multiAz: config.multiAz,
      backupRetention: Duration.days(config.backupRetentionDays),
      copyTagsToSnapshot: true,
      deletionProtection: config.deletionProtection,
      // SNAPSHOT also covers a replacement: CloudFormation snapshots the old instance before it deletes it.
      removalPolicy: config.finalSnapshot ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      autoMinorVersionUpgrade: true,
      // every log type the engine can export; MySQL's general and audit logs stay off (general_log and the
      // audit plugin are not enabled), so they export nothing until someone turns them on for an incident.
      cloudwatchLogsExports: config.engine === 'mysql' ? ['audit', 'error', 'general', 'slowquery'] : ['postgresql', 'upgrade'],
      // one-minute OS metrics (CPU steal, memory, disk queue) show what database metrics cannot.
      monitoringInterval: Duration.minutes(1),
      // costs nothing and lets a later change connect with IAM tokens instead of the password.
      iamAuthentication: true,
    });
    this.secret = this.instance.secret!;

    this.instance.addRotationSingleUser({
      automaticallyAfter: Duration.days(config.secretRotationDays),
      // the rotation function joins the clients' group, so the database keeps one rule for its own clients.
      securityGroup: this.clientSecurityGroup,
    });
    this.admit(this.clientSecurityGroup);

    this.acknowledgeFindings(environmentName, config);
  }

  /**
   * Lets the members of a security group connect to the database port; nothing else is opened.
   * @param securityGroup the clients' security group, e.g. the application tasks'
   */
  admit(securityGroup: ec2.ISecurityGroup): void {
    this.instance.connections.allowDefaultPortFrom(securityGroup, `${securityGroup.node.path} to the database`);
  }

  /**
   * Injects the credentials into a container as ECS secrets ({@link DATABASE_ENVIRONMENT_VARIABLES}), so
   * the application needs no code for Secrets Manager; the task definition's execution role, which
   * resolves them at task start, may read exactly this secret.
   * @param container the container that connects to the database
   * @param options whether the container may re-read the secret itself
   */
  injectCredentials(container: ecs.ContainerDefinition, options: InjectCredentialsOptions = {}): void {
    for (const [variable, field] of Object.entries(DATABASE_ENVIRONMENT_VARIABLES)) {
      // addSecret grants the execution role read access to the secret.
      container.addSecret(variable, ecs.Secret.fromSecretsManager(this.secret, field));
    }
    if (options.rereadAfterRotation ?? true) {
      container.addEnvironment(DATABASE_SECRET_ARN_VARIABLE, this.secret.secretArn);
      this.secret.grantRead(container.taskDefinition.taskRole);
    }
  }

  private acknowledgeFindings(environmentName: EnvironmentName, config: DatabaseConfig): void {
    Validations.of(this.instance).acknowledge({
      id: 'cdk-validator-cfnguard::rds_storage_encrypted_kms_key_check',
      reason:
        'storage is encrypted with the AWS managed key aws/rds; a customer key would be one more resource whose loss makes every snapshot unreadable, and access to the data is controlled by the database credentials, not the key.',
    });
    Validations.of(this.instance).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
      reason: 'the policy AWS maintains for RDS enhanced monitoring; it only lets RDS write OS metrics to the RDSOSMetrics log group.',
    });
    if (config.engineVersion.full === config.engineVersion.major) {
      Validations.of(this.instance).acknowledge({
        id: 'CloudFormation-Validate::E9006',
        reason: `a major version (${config.engineVersion.major}) is valid for RDS, which picks its default minor and applies minor upgrades; the CloudFormation spec lists only full versions.`,
      });
    }
    const portReason =
      "the engine's standard port is reachable only from admitted security groups in private subnets; another port would be obscurity, not security, and every client tool would need telling.";
    Validations.of(this.instance).acknowledge(
      { id: 'AwsSolutions-RDS11', reason: portReason },
      { id: 'cdk-validator-cfnguard::rds_instance_no_default_ports_check', reason: portReason },
    );
    if (!config.multiAz) {
      const reason = `multi-AZ is off for ${environmentName} (environments.${environmentName}.database.multiAz): a single-AZ database halves the cost where an hour of downtime for an AZ failure is acceptable; automated backups still allow a restore.`;
      Validations.of(this.instance).acknowledge(
        { id: 'AwsSolutions-RDS3', reason },
        { id: 'cdk-validator-cfnguard::rds_instance_multi_az_support_check', reason },
      );
    }
    if (!config.deletionProtection) {
      const reason = `deletion protection is off for ${environmentName} (environments.${environmentName}.database.deletionProtection) so the environment can be torn down with cdk destroy${config.finalSnapshot ? '; a final snapshot is still taken' : ''}.`;
      Validations.of(this.instance).acknowledge(
        { id: 'AwsSolutions-RDS10', reason },
        { id: 'cdk-validator-cfnguard::rds_instance_deletion_protection_enabled_check', reason },
      );
    }
  }
}
