/**
 * The config of release notifications (`environments.<env>.notifications`), one part of the schema in ./schema:
 * who hears of a release's start and end, by e-mail and in a Slack channel through AWS Chatbot (Amazon Q
 * Developer in chat applications). Nothing in this file may import aws-cdk-lib: the CLI reads the config through it.
 */
import { condition, list, optional, section, text, withConditions } from './schema-kit';

/** The most e-mail addresses one environment's releases are sent to. */
export const MAX_NOTIFICATION_EMAILS = 10;

/**
 * An e-mail address as SNS's e-mail protocol takes it: a local part of the characters RFC 5322 allows unquoted, `@`
 * and a DNS name with a dot. Quoted local parts and address literals are left out on purpose.
 */
export const EMAIL_ADDRESS =
  /^(?=.{3,254}$)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/**
 * A Slack workspace (team) id as AWS Chatbot shows it once the workspace is authorized: `T` and upper-case letters
 * and digits (CloudFormation, AWS::Chatbot::SlackChannelConfiguration SlackWorkspaceId: `^[0-9A-Z]{1,255}$`).
 */
export const SLACK_WORKSPACE_ID = /^T[0-9A-Z]{8,20}$/;

/** A Slack channel id: `C` for a public channel, `G` for a private one, then upper-case letters and digits. */
export const SLACK_CHANNEL_ID = /^[CG][0-9A-Z]{8,20}$/;

const slackSchema = section(
  {
    workspaceId: text(SLACK_WORKSPACE_ID, {
      description:
        'the Slack workspace id, as the Amazon Q Developer in chat applications (AWS Chatbot) console shows it after the workspace is authorized there once',
      allowed: 'a Slack workspace id: T and 8 to 20 upper-case letters or digits, such as T0123ABCDE',
    }),
    channelId: text(SLACK_CHANNEL_ID, {
      description: 'the Slack channel id (the end of the channel’s link); for a private channel, invite the Amazon Q app first',
      allowed: 'a Slack channel id: C (public) or G (private) and 8 to 20 upper-case letters or digits, such as C0123ABCDE',
    }),
  },
  { description: 'a Slack channel the messages go to, through AWS Chatbot' },
);

/** `environments.<env>.notifications`: off unless the section is there; then it names at least one recipient. */
export const notificationsSchema = withConditions(
  section(
    {
      email: optional(
        list(
          text(EMAIL_ADDRESS, {
            description: 'an e-mail address',
            allowed: 'e-mail addresses such as releases@example.com',
          }),
          {
            description: `addresses each message is sent to, at most ${MAX_NOTIFICATION_EMAILS}; each must confirm its subscription once (SNS sends the link)`,
            minItems: 1,
            maxItems: MAX_NOTIFICATION_EMAILS,
            uniqueItems: true,
            allowed: `1 to ${MAX_NOTIFICATION_EMAILS} distinct e-mail addresses`,
            explain: (value) =>
              Array.isArray(value) ? `${value.length} addresses` : `${JSON.stringify(value)} is not a list of addresses`,
          },
        ),
      ),
      slack: optional(slackSchema),
    },
    {
      description: 'messages at each release’s start and end, by e-mail and in Slack; without it none are sent',
      table: 'notifications',
    },
  ),
  [
    condition(
      { if: { not: { required: ['slack'] } }, then: { required: ['email'] } },
      {
        field: 'email',
        explain: () => 'missing, and there is no slack channel either, so nobody would hear of a release',
        allowed: `at least one of email (1 to ${MAX_NOTIFICATION_EMAILS} addresses) and slack ({ workspaceId, channelId })`,
      },
    ),
  ],
);
