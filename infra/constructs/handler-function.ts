import * as path from 'node:path';
import { AssetHashType, CustomResource, DockerImage, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';

/** Where the handlers' TypeScript lives; esbuild bundles `index.ts` at synth, in process (no Docker, no network). */
const HANDLERS_DIRECTORY = path.join(__dirname, '..', 'handlers');

/** The construct id of the one handler function of a stack; its logical id is pinned by a test. */
const HANDLER_ID = 'BerthHandler';

/**
 * The code of a Lambda function from one entry in infra/handlers/, bundled by esbuild into `index.js` at synth, in
 * process (no Docker, no network); the function's handler is `index.handler`.
 * @param entry the entry file, relative to infra/handlers/ (such as `index.ts`)
 */
export function handlerCode(entry: string): lambda.Code {
  return lambda.Code.fromAsset(HANDLERS_DIRECTORY, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // never pulled: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs24.x'),
      // aws-cdk-lib caches a bundle by the source directory and the bundling options' JSON (AssetStaging's cache key),
      // which leaves out `tryBundle`: the entry must be in the options, or every entry would get the first one's bundle.
      environment: { BERTH_HANDLER_ENTRY: entry },
      local: {
        tryBundle(outputDir: string): boolean {
          buildSync({
            entryPoints: [path.join(HANDLERS_DIRECTORY, entry)],
            outfile: path.join(outputDir, 'index.js'),
            bundle: true,
            platform: 'node',
            target: 'node24',
            format: 'cjs',
            // the Node.js Lambda runtimes include the AWS SDK for JavaScript v3.
            external: ['@aws-sdk/*'],
            legalComments: 'none',
            logLevel: 'warning',
          });
          return true;
        },
      },
    },
  });
}

/** Properties of {@link HandlerFunction}. */
export interface HandlerFunctionProps {
  /**
   * the key the function's log group is encrypted with.
   * @default - CloudWatch Logs' own encryption
   */
  readonly logsKey?: kms.IKey;
}

/**
 * The Lambda function that answers the custom resources of one stack (listener rules, live's image-tag
 * parameter). One per stack, created on first use; the resources that use it add the permissions they need.
 * The service token of a custom resource cannot change after creation, so the function keeps its logical id.
 */
export class HandlerFunction extends Construct {
  /** the function. */
  readonly function: lambda.Function;
  /** the function's role: logs to its own log group, plus what each resource adds. */
  readonly role: iam.Role;

  /**
   * The stack's handler function, created on first use.
   * @param scope any construct in the stack
   * @param props used when the function is created
   */
  static of(scope: Construct, props: HandlerFunctionProps = {}): HandlerFunction {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(HANDLER_ID) as HandlerFunction | undefined) ?? new HandlerFunction(stack, HANDLER_ID, props);
  }

  private constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: logs.RetentionDays.ONE_YEAR,
      ...(props.logsKey ? { encryptionKey: props.logsKey } : {}),
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `berth ${Stack.of(this).stackName}: answers the stack's custom resources at deploy time`,
    });
    logGroup.grantWrite(this.role);
    this.function = new lambda.Function(this, 'Function', {
      description: "berth: owns the listener rules' conditions and live's image-tag parameter without overwriting what ECS and the CLI own",
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: handlerCode('index.ts'),
      role: this.role,
      logGroup,
      timeout: Duration.minutes(2),
      memorySize: 256,
    });
    Validations.of(this.function).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason:
        'the function only calls the ELB and SSM APIs at deploy time; in the VPC it would need NAT, which the low-cost layout has not.',
    });
  }

  /**
   * A custom resource this function answers.
   * @param scope the resource's scope
   * @param id the resource's id
   * @param resourceType e.g. `Custom::BerthListenerRule`
   * @param properties its properties
   * @param removalPolicy what CloudFormation does when the resource leaves the template
   */
  resource(
    scope: Construct,
    id: string,
    resourceType: string,
    properties: Record<string, unknown>,
    removalPolicy?: RemovalPolicy,
  ): CustomResource {
    return new CustomResource(scope, id, {
      serviceToken: this.function.functionArn,
      resourceType,
      properties,
      ...(removalPolicy ? { removalPolicy } : {}),
    });
  }
}
