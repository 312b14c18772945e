import { parseConfig } from '../../infra/config';
import { problemsAfter } from '../_helpers/config';
import { exampleRawConfig } from '../_helpers/synth';

/** Notifications as the README shows them for live. */
const LIVE_NOTIFICATIONS = {
  email: ['releases@example.com'],
  slack: { workspaceId: 'T0123ABCDE', channelId: 'C0123ABCDE' },
};

describe('environments.<env>.notifications', () => {
  test('is off unless the section is there, and is read as written when it is', () => {
    // GIVEN
    const raw = exampleRawConfig();
    (raw.environments as Record<string, Record<string, unknown>>).live.notifications = LIVE_NOTIFICATIONS;

    // WHEN
    const config = parseConfig(raw);

    // THEN
    expect(config.environments.pre.notifications).toBeUndefined();
    expect(config.environments.live.notifications).toEqual(LIVE_NOTIFICATIONS);
  });

  test('the README examples are valid: e-mail only, and e-mail with a Slack channel', () => {
    expect(
      problemsAfter({
        'environments.pre.notifications': { email: ['team@example.com'] },
        'environments.live.notifications': LIVE_NOTIFICATIONS,
      }),
    ).toEqual([]);
  });

  test('a Slack channel alone is enough, private channels included', () => {
    expect(problemsAfter({ 'environments.live.notifications': { slack: { workspaceId: 'T0123ABCDE', channelId: 'G0123ABCDE' } } })).toEqual(
      [],
    );
  });

  test('a section that names nobody is refused in one line that says what is allowed', () => {
    expect(problemsAfter({ 'environments.pre.notifications': {} })).toEqual([
      'environments.pre.notifications.email: missing, and there is no slack channel either, so nobody would hear of a release; allowed: at least one of email (1 to 10 addresses) and slack ({ workspaceId, channelId })',
    ]);
  });

  test('an empty list of addresses is refused', () => {
    expect(problemsAfter({ 'environments.live.notifications': { email: [] } })).toEqual([
      'environments.live.notifications.email: 0 addresses; allowed: 1 to 10 distinct e-mail addresses',
    ]);
  });

  test('more than 10 addresses are refused, and so is one address twice', () => {
    // GIVEN
    const eleven = Array.from({ length: 11 }, (_, i) => `person${i}@example.com`);

    // THEN
    expect(problemsAfter({ 'environments.pre.notifications': { email: eleven } })).toEqual([
      'environments.pre.notifications.email: 11 addresses; allowed: 1 to 10 distinct e-mail addresses',
    ]);
    expect(problemsAfter({ 'environments.pre.notifications': { email: ['a@example.com', 'a@example.com'] } })).toEqual([
      'environments.pre.notifications.email: 2 addresses; allowed: 1 to 10 distinct e-mail addresses',
    ]);
  });

  test.each(['releases', 'releases@example', '@example.com', 'two words@example.com', 'a@-example.com', 'a@example..com'])(
    'the address %j is refused with what an address looks like',
    (address) => {
      expect(problemsAfter({ 'environments.live.notifications': { email: ['ok@example.com', address] } })).toEqual([
        `environments.live.notifications.email: ${JSON.stringify(address)} not valid; allowed: e-mail addresses such as releases@example.com`,
      ]);
    },
  );

  test.each(["o'brien+releases@mail.example.co.uk", 'first.last@example.com', 'ops_team@sub-domain.example.org'])(
    'the address %j is taken',
    (address) => {
      expect(problemsAfter({ 'environments.live.notifications': { email: [address] } })).toEqual([]);
    },
  );

  test('Slack ids of the wrong shape are refused, each with its own line', () => {
    expect(problemsAfter({ 'environments.live.notifications': { slack: { workspaceId: 'C0123ABCDE', channelId: 'general' } } })).toEqual([
      'environments.live.notifications.slack.workspaceId: "C0123ABCDE" is not valid; allowed: a Slack workspace id: T and 8 to 20 upper-case letters or digits, such as T0123ABCDE',
      'environments.live.notifications.slack.channelId: "general" is not valid; allowed: a Slack channel id: C (public) or G (private) and 8 to 20 upper-case letters or digits, such as C0123ABCDE',
    ]);
  });

  test('a Slack channel needs both ids', () => {
    expect(problemsAfter({ 'environments.pre.notifications': { slack: { workspaceId: 'T0123ABCDE' } } })).toEqual([
      expect.stringMatching(/^environments\.pre\.notifications\.slack\.channelId: missing; allowed: a Slack channel id/),
    ]);
  });

  test('a misspelt field names the one it most likely means', () => {
    expect(problemsAfter({ 'environments.pre.notifications': { emails: ['a@example.com'] } })).toEqual([
      'environments.pre.notifications.emails: unknown field; did you mean email? (allowed fields are: email, slack)',
    ]);
  });
});
