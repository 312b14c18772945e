import { App, Stack } from 'aws-cdk-lib';
import { imageTagFor, PRE_IMAGE_TAG } from '../../../infra/constructs/release-state';
import { synthBerth } from '../../_helpers/synth';
import { checkReleaseTag } from '../../../scripts/cli/release-tag';

// GIVEN: live starts from a release other than the default.
const berth = synthBerth((raw) => {
  const environments = raw.environments as Record<string, Record<string, unknown>>;
  environments.live.initialImageTag = 'v2.3.4';
});

describe("live's release state in the shared stack", () => {
  test('is the SSM parameter /berth/<app>/live/image-tag, created with the configured initial release', () => {
    // THEN
    berth.shared.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/berth/berth/live/image-tag',
      Type: 'String',
      Value: 'v2.3.4',
      Tier: 'Standard',
    });
  });

  test('refuses, in SSM itself, any value that is not a release tag, and accepts every tag the CLI can release', () => {
    // GIVEN
    const [parameter] = Object.values(
      berth.shared.findResources('AWS::SSM::Parameter', { Properties: { Name: '/berth/berth/live/image-tag' } }),
    );
    const pattern = new RegExp(parameter.Properties.AllowedPattern as string);
    const releasable = (tag: string) => {
      try {
        return checkReleaseTag(tag, true) === tag;
      } catch {
        return false;
      }
    };

    // THEN: a pre-release promoted with --allow-prerelease must be recordable, or live would run a tag the parameter does not name.
    expect(['v1.0.0', 'v10.20.30', 'v1.5.0-rc.1', 'v1.0.0-rc1'].filter((tag) => pattern.test(tag))).toHaveLength(4);
    expect(['master', '1.0.0', 'v1.0', 'v01.0.0', 'v1.0.0-', 'v1.0.0-rc..1', 'v1.0.0+build'].filter((tag) => pattern.test(tag))).toEqual(
      [],
    );
    for (const tag of ['v1.0.0', 'v1.5.0-rc.1', 'v1.0.0-', 'master', 'v1.0.0+build', 'v01.2.3']) {
      expect([tag, pattern.test(tag)]).toEqual([tag, releasable(tag)]);
    }
  });

  test('keeps its logical id, so a refactor cannot replace it and lose the release history', () => {
    // THEN: a changed id would make CloudFormation delete the parameter, and its version history with it.
    expect(Object.keys(berth.shared.findResources('AWS::SSM::Parameter'))).toEqual(['ReleaseStateImageTagParameter7E370E3B']);
  });

  test('is not in either environment stack, so deploying live never rewrites it', () => {
    // THEN
    for (const template of [berth.pre, berth.live]) {
      template.resourcePropertiesCountIs('AWS::SSM::Parameter', { Name: '/berth/berth/live/image-tag' }, 0);
    }
  });
});

describe('imageTagFor', () => {
  test('gives pre the master tag', () => {
    // THEN
    expect(imageTagFor('shop', 'pre')).toBe(PRE_IMAGE_TAG);
    expect(PRE_IMAGE_TAG).toBe('master');
  });

  test('gives live a CloudFormation dynamic reference to its image-tag parameter', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Probe');

    // WHEN
    const tag = stack.resolve(imageTagFor('shop', 'live'));

    // THEN
    expect(tag).toBe('{{resolve:ssm:/berth/shop/live/image-tag}}');
  });
});
