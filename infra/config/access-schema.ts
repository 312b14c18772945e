/**
 * The config of who may assume an environment's duty roles (`environments.<env>.access`), one part of the
 * schema in ./schema. Nothing in this file may import aws-cdk-lib: the CLI reads the config through it.
 */
import type { EnvironmentName } from '../environments';
import { flag, list, section, text, withDefault } from './schema-kit';

/** The most principals one duty's role trusts: far below the trust policy's size limit (2,048 characters by default). */
export const MAX_DUTY_PRINCIPALS = 10;

/**
 * A principal a role's trust policy may name: an account (its 12-digit id or its root ARN), an IAM role or an
 * IAM user, by ARN (IAM user guide, "AWS JSON policy elements: Principal"). Names follow IAM's character set
 * (letters, digits and `+=,.@_-`, paths with `/`).
 */
export const ACCESS_PRINCIPAL =
  /^(?:\d{12}|arn:aws[a-z-]*:iam::\d{12}:(?:root|(?:role|user)\/(?:[A-Za-z0-9+=,.@_-]+\/)*[A-Za-z0-9+=,.@_-]{1,64}))$/;

const principals = (duty: string, what: string) =>
  withDefault(
    list(
      text(ACCESS_PRINCIPAL, {
        description: `who may assume the ${duty} role`,
        allowed:
          'a 12-digit account id, or an ARN arn:aws:iam::<account>:root, arn:aws:iam::<account>:role/<name> or arn:aws:iam::<account>:user/<name>',
      }),
      {
        description: `who may assume \`berth-<app>-<env>-${duty}\` (${what}); an account lets in whoever its own IAM policies allow to assume the role`,
        maxItems: MAX_DUTY_PRINCIPALS,
        uniqueItems: true,
        defaultText: 'the environment’s own account',
        explain: (value) => `${(value as unknown[]).length} principals`,
      },
    ),
    [],
  );

/**
 * `environments.<env>.access`: every field has a default, so each environment gets its three duty roles, trusted
 * by its own account; live asks for MFA by default, pre does not.
 * @param name pre or live
 */
export function accessSchema(name: EnvironmentName) {
  return section(
    {
      viewer: principals('viewer', 'status, history, instances, logs, dns, doctor, verify'),
      troubleshooter: principals('troubleshooter', 'the viewer’s rights plus connect, exec, agent-log, db-shell'),
      releaser: principals('releaser', 'the viewer’s rights plus promote, rollback, continue on live or deploy on pre'),
      requireMfa: withDefault(
        flag({ description: 'the duty roles may only be assumed with credentials signed in with MFA (aws:MultiFactorAuthPresent)' }),
        name === 'live',
      ),
    },
    { description: 'who may assume the environment’s viewer, troubleshooter and releaser roles', table: 'access' },
  );
}
