import { followSettings } from '../../../scripts/cli/session';
import { UsageError } from '../../../scripts/cli/errors';

describe('followSettings', () => {
  test('defaults to a 30 minute timeout and a 5 second poll', () => {
    expect(followSettings({}, {})).toEqual({ timeoutSeconds: 1800, intervalMs: 5000 });
  });

  test('reads --timeout and BERTH_POLL_INTERVAL_MS, ignoring a bad interval', () => {
    expect(followSettings({ timeout: '2h' }, { BERTH_POLL_INTERVAL_MS: '10' })).toEqual({ timeoutSeconds: 7200, intervalMs: 10 });
    expect(followSettings({}, { BERTH_POLL_INTERVAL_MS: 'fast' }).intervalMs).toBe(5000);
  });

  test('a malformed --timeout is a usage error', () => {
    expect(() => followSettings({ timeout: '10' }, {})).toThrow(UsageError);
  });
});
