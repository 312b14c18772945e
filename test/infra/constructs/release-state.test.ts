import { Stack } from 'aws-cdk-lib';
import { IMAGE_TAG_PARAMETER_LOGICAL_ID, imageTagFor, PRE_IMAGE_TAG } from '../../../infra/constructs/release-state';
import { RELEASE_TAG_PATTERN } from '../../../infra/manifest';
import { synthBerth, testApp } from '../../_helpers/synth';
import { checkReleaseTag } from '../../../scripts/cli/release-tag';

// GIVEN: live starts from a release other than the default.
const berth = synthBerth((raw) => {
  const environments = raw.environments as Record<string, Record<string, unknown>>;
  environments.live.initialImageTag = 'v2.3.4';
});

type Resources = Record<
  string,
  { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }
>;

describe("live's release state in the shared stack", () => {
  const [[parameterId, parameter]] = Object.entries(berth.shared.findResources('Custom::BerthImageTagParameter') as Resources) as [
    [string, Resources[string]],
  ];

  test('is /berth/<app>/live/image-tag, created with the configured initial release, and no AWS::SSM::Parameter', () => {
    // THEN: an AWS::SSM::Parameter would put its template value over the recorded release at any update.
    expect(parameter.Properties).toMatchObject({ Name: '/berth/berth/live/image-tag', InitialValue: 'v2.3.4' });
    berth.shared.resourceCountIs('AWS::SSM::Parameter', 0);
  });

  test('refuses, in SSM itself, any value that is not a release tag, and accepts every tag the CLI can release', () => {
    // GIVEN
    const pattern = new RegExp(parameter.Properties.AllowedPattern as string);
    const releasable = (tag: string) => {
      try {
        return checkReleaseTag(tag, true) === tag;
      } catch {
        return false;
      }
    };

    // THEN: a pre-release promoted with --allow-prerelease must be recordable, or live would run a tag the parameter does not name.
    expect(parameter.Properties.AllowedPattern).toBe(RELEASE_TAG_PATTERN);
    expect(['v1.0.0', 'v10.20.30', 'v1.5.0-rc.1', 'v1.0.0-rc1'].filter((tag) => pattern.test(tag))).toHaveLength(4);
    expect(['master', '1.0.0', 'v1.0', 'v01.0.0', 'v1.0.0-', 'v1.0.0-rc..1', 'v1.0.0+build'].filter((tag) => pattern.test(tag))).toEqual(
      [],
    );
    for (const tag of ['v1.0.0', 'v1.5.0-rc.1', 'v1.0.0-', 'master', 'v1.0.0+build', 'v01.2.3']) {
      expect([tag, pattern.test(tag)]).toEqual([tag, releasable(tag)]);
    }
  });

  test('keeps its logical id and outlives the stack, so neither a refactor nor a teardown loses the release history', () => {
    // THEN: the id it had as an AWS::SSM::Parameter, so CloudFormation refuses to update an earlier shared stack
    // (a type change) rather than delete that parameter; Retain keeps it when the stack or the resource goes.
    expect(parameterId).toBe(IMAGE_TAG_PARAMETER_LOGICAL_ID);
    expect(parameterId).toBe('ReleaseStateImageTagParameter7E370E3B');
    expect(parameter).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('is not in either environment stack, so deploying live never rewrites it', () => {
    // THEN
    for (const template of [berth.pre, berth.live]) {
      template.resourceCountIs('Custom::BerthImageTagParameter', 0);
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
    const stack = new Stack(testApp(), 'Probe');

    // WHEN
    const tag = stack.resolve(imageTagFor('shop', 'live'));

    // THEN
    expect(tag).toBe('{{resolve:ssm:/berth/shop/live/image-tag}}');
  });
});
