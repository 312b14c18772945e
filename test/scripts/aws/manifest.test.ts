import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { MANIFEST_SCHEMA_VERSION, ManifestVersionError, parseManifest } from '../../../infra/manifest';
import { ManifestVersionRefusal, readManifest } from '../../../scripts/aws/manifest';
import { RefusedError } from '../../../scripts/core/errors';
import { exampleManifest } from '../../_helpers/manifest';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';

const ssm = new SSMClient({ region: 'eu-west-1' });

beforeEach(() => resetAwsMocks());

describe("a manifest's schema version", () => {
  test('a newer version says to upgrade berth, before any other field is checked', () => {
    // GIVEN a manifest from a newer berth, with a field this one does not know
    const text = JSON.stringify({ ...exampleManifest('live'), schemaVersion: MANIFEST_SCHEMA_VERSION + 1, newField: true });

    // WHEN / THEN
    expect(() => parseManifest(text, '/berth/berth/live/manifest')).toThrow(
      new ManifestVersionError(
        `manifest /berth/berth/live/manifest has schema version ${MANIFEST_SCHEMA_VERSION + 1}, newer than the ${MANIFEST_SCHEMA_VERSION} this berth reads; upgrade berth to the version that deployed the stack`,
        MANIFEST_SCHEMA_VERSION + 1,
      ),
    );
  });

  test('an older or missing version says to redeploy the stack', () => {
    // GIVEN
    const { schemaVersion: _omitted, ...withoutVersion } = exampleManifest('pre');

    // WHEN / THEN
    expect(() => parseManifest(JSON.stringify({ ...withoutVersion, schemaVersion: 0 }), 'm')).toThrow(
      /has schema version 0, not the 1 this berth reads; redeploy the stack with this version's cdk deploy$/,
    );
    expect(() => parseManifest(JSON.stringify(withoutVersion), 'm')).toThrow(/has schema version null, not the 1/);
  });

  test('a manifest without the pre-flight field of newer stacks still parses', () => {
    // GIVEN a manifest as stacks before berth verify wrote it
    const { architecture: _architecture, ...older } = exampleManifest('live');

    // WHEN
    const manifest = parseManifest(JSON.stringify(older), 'm');

    // THEN
    expect(manifest.architecture).toBeUndefined();
  });

  test('readManifest refuses a version it does not read with a refusal verify can tell apart', async () => {
    // GIVEN
    aws.ssm
      .on(GetParameterCommand)
      .resolves({ Parameter: { Value: JSON.stringify({ ...exampleManifest('live'), schemaVersion: MANIFEST_SCHEMA_VERSION + 1 }) } });

    // WHEN
    const read = readManifest(ssm, 'berth', 'live');

    // THEN
    await expect(read).rejects.toBeInstanceOf(ManifestVersionRefusal);
    await expect(read).rejects.toBeInstanceOf(RefusedError);
  });
});
