import { UsageError } from '../../../scripts/core/errors';
import { checkReleaseTag } from '../../../scripts/cli/release-tag';

describe('checkReleaseTag', () => {
  test.each(['v1.4.0', 'v0.0.1', 'v10.20.30'])('accepts the release tag %s', (tag) => {
    expect(checkReleaseTag(tag, false)).toBe(tag);
  });

  test.each(['1.4.0', 'v1.4', 'v1.4.0.1', 'v01.4.0', 'master', 'latest', 'v1.4.0+build.1', 'V1.4.0', ''])(
    'rejects %j as a usage error',
    (tag) => {
      expect(() => checkReleaseTag(tag, true)).toThrow(UsageError);
      expect(() => checkReleaseTag(tag, true)).toThrow(
        'is not a release tag; allowed: vMAJOR.MINOR.PATCH such as v1.4.0 (v1.4.0-rc.1 with --allow-prerelease)',
      );
    },
  );

  test('accepts a pre-release only with --allow-prerelease', () => {
    expect(() => checkReleaseTag('v1.2.0-rc.1', false)).toThrow(
      'v1.2.0-rc.1 is a pre-release; pass --allow-prerelease to release it to live',
    );
    expect(checkReleaseTag('v1.2.0-rc.1', true)).toBe('v1.2.0-rc.1');
  });
});
