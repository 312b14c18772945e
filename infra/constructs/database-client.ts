import { Duration, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DATABASE_CLIENT_CONTAINER_NAME } from '../manifest';
import type { Database } from './database';

/** Properties of {@link DatabaseClient}. */
export interface DatabaseClientProps {
  /** the database the client connects to; its credentials are injected and its client security group admitted. */
  readonly database: Database;
  /** task-definition family, e.g. `berth-live-db-client`; the manifest gives it to `berth db-shell`. */
  readonly family: string;
  /** the log group ECS Exec sessions are logged to (the cluster's exec log group); the task role may write to it. */
  readonly execLogGroup: logs.ILogGroup;
  /** the key the client's own log group is encrypted with. */
  readonly logsKey: kms.IKey;
  /**
   * how long a client task lives before it stops itself, whatever the session does.
   * @default Duration.hours(1)
   */
  readonly sessionLimit?: Duration;
}

/**
 * A one-off task definition for operators: the engine's own command-line client (MySQL or PostgreSQL,
 * the database's major version, from the Docker official images on public ECR) with the database
 * credentials injected as secrets. Its command only sleeps, so the task stops itself after the session
 * limit; `berth db-shell` runs it and opens the client through ECS Exec.
 */
export class DatabaseClient extends Construct {
  /** the client task definition (awsvpc, for the clients' security group). */
  readonly taskDefinition: ecs.Ec2TaskDefinition;
  /** the container operators exec into. */
  readonly container: ecs.ContainerDefinition;
  /** the image the client runs. */
  readonly image: string;

  constructor(scope: Construct, id: string, props: DatabaseClientProps) {
    super(scope, id);
    const { database } = props;
    const sessionLimit = props.sessionLimit ?? Duration.hours(1);
    this.image =
      database.engine === 'mysql'
        ? `public.ecr.aws/docker/library/mysql:${database.majorVersion}`
        : `public.ecr.aws/docker/library/postgres:${database.majorVersion}-alpine`;

    this.taskDefinition = new ecs.Ec2TaskDefinition(this, 'TaskDefinition', {
      family: props.family,
      // awsvpc gives the task its own network interface in the clients' security group.
      networkMode: ecs.NetworkMode.AWS_VPC,
    });
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.logsKey,
    });
    this.container = this.taskDefinition.addContainer('Client', {
      containerName: DATABASE_CLIENT_CONTAINER_NAME,
      image: ecs.ContainerImage.fromRegistry(this.image),
      memoryLimitMiB: 256,
      // the image's own unprivileged user; ECS Exec still runs its agent (and the session) as root.
      user: database.engine === 'mysql' ? 'mysql' : 'postgres',
      // the image's own entry point would start a database server; the task only waits for a session.
      entryPoint: ['sleep'],
      command: [String(sessionLimit.toSeconds())],
      essential: true,
      // ECS Exec needs an init process to reap the session's processes.
      linuxParameters: new ecs.LinuxParameters(this, 'LinuxParameters', { initProcessEnabled: true }),
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'db-client', logGroup }),
    });
    // a session starts a new task, so it always gets the current password: no need to re-read the secret.
    database.injectCredentials(this.container, { rereadAfterRotation: false });

    // what ECS Exec needs in the task (a service with enableExecuteCommand gets the same from CDK).
    this.taskDefinition.addToTaskRolePolicy(
      new iam.PolicyStatement({
        actions: [
          'ssmmessages:CreateControlChannel',
          'ssmmessages:CreateDataChannel',
          'ssmmessages:OpenControlChannel',
          'ssmmessages:OpenDataChannel',
        ],
        resources: ['*'],
      }),
    );
    this.taskDefinition.addToTaskRolePolicy(
      new iam.PolicyStatement({
        actions: ['logs:DescribeLogGroups'],
        resources: ['*'],
      }),
    );
    this.taskDefinition.addToTaskRolePolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        resources: [props.execLogGroup.logGroupArn],
      }),
    );
    Validations.of(this.taskDefinition).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ECS Exec: the ssmmessages channel actions and logs:DescribeLogGroups have no resource-level permissions.',
      },
      {
        id: 'AwsSolutions-ECS2',
        reason:
          'the only variable is AWS_REGION, which CDK sets for awsvpc tasks on EC2 (they cannot reach IMDS); the credentials come as secrets.',
      },
      {
        id: 'cdk-validator-cfnguard::ecs_containers_readonly_access_check',
        reason:
          'ECS Exec needs a writable root file system for its agent (aws/containers-roadmap#1359), and the client writes its history; the task runs only sleep and the client, for one session.',
      },
    );
  }
}
