import 'aws-sdk-client-mock-jest';
import { GetParameterCommand, GetParameterHistoryCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { liveImageTagParameter, previousRelease, readImageTag, readImageTagHistory, writeImageTag } from '../../../scripts/aws/image-tag';
import { RefusedError } from '../../../scripts/core/errors';
import { RELEASE_TAG_PATTERN } from '../../../infra/manifest';
import { exampleManifest } from '../../_helpers/manifest';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';

const ssm = new SSMClient({ region: 'eu-west-1' });
const NAME = '/berth/berth/live/image-tag';

beforeEach(() => resetAwsMocks());

describe('readImageTagHistory', () => {
  test('reads every page and returns the versions oldest first', async () => {
    // GIVEN
    aws.ssm
      .on(GetParameterHistoryCommand)
      .resolvesOnce({ Parameters: [{ Version: 2, Value: 'v1.1.0', LastModifiedUser: 'bob' }], NextToken: 'n' })
      .resolvesOnce({ Parameters: [{ Version: 1, Value: 'v1.0.0', LastModifiedDate: new Date(0) }] });

    // WHEN
    const history = await readImageTagHistory(ssm, NAME);

    // THEN
    expect(history).toEqual([
      { version: 1, tag: 'v1.0.0', at: new Date(0) },
      { version: 2, tag: 'v1.1.0', who: 'bob' },
    ]);
    expect(aws.ssm).toHaveReceivedCommandWith(GetParameterHistoryCommand, { Name: NAME, NextToken: 'n' });
  });
});

describe('previousRelease', () => {
  test('is the newest version with another tag than the newest one', () => {
    const v = (version: number, tag: string) => ({ version, tag });
    expect(previousRelease([v(1, 'v1.0.0'), v(2, 'v1.1.0'), v(3, 'v1.1.0')])).toEqual(v(1, 'v1.0.0'));
    expect(previousRelease([v(3, 'v1.0.0'), v(2, 'v1.2.0'), v(1, 'v1.1.0')])).toEqual(v(2, 'v1.2.0'));
    expect(previousRelease([v(1, 'v1.0.0')])).toBeUndefined();
    expect(previousRelease([])).toBeUndefined();
  });
});

describe('readImageTag and writeImageTag', () => {
  test('read the current tag, treat a missing parameter as none, and write a new version with Overwrite', async () => {
    // GIVEN
    aws.ssm
      .on(GetParameterCommand)
      .resolvesOnce({ Parameter: { Value: 'v1.0.0', Version: 4 } })
      .rejectsOnce(Object.assign(new Error('missing'), { name: 'ParameterNotFound' }));
    aws.ssm.on(PutParameterCommand).resolves({ Version: 5 });

    // WHEN / THEN
    expect(await readImageTag(ssm, NAME)).toEqual({ tag: 'v1.0.0', version: 4 });
    expect(await readImageTag(ssm, NAME)).toBeUndefined();
    expect(await writeImageTag(ssm, NAME, 'v1.1.0')).toBe(5);
    expect(aws.ssm).toHaveReceivedCommandWith(PutParameterCommand, { Name: NAME, Value: 'v1.1.0', Type: 'String', Overwrite: true });
  });

  test('send the release-tag pattern with every write, so SSM refuses a bad tag even on a parameter created without one', async () => {
    // GIVEN
    aws.ssm.on(PutParameterCommand).resolves({ Version: 2 });

    // WHEN
    await writeImageTag(ssm, NAME, 'v1.1.0');

    // THEN
    expect(aws.ssm).toHaveReceivedCommandWith(PutParameterCommand, { AllowedPattern: RELEASE_TAG_PATTERN });
  });
});

describe('liveImageTagParameter', () => {
  test('names the parameter of a live manifest, and refuses a manifest without one with how to fix it', () => {
    // GIVEN
    const { imageTagParameter, ...withoutParameter } = exampleManifest('live');

    // THEN
    expect(liveImageTagParameter(exampleManifest('live'))).toBe(imageTagParameter);
    expect(() => liveImageTagParameter(withoutParameter)).toThrow(RefusedError);
    expect(() => liveImageTagParameter(withoutParameter)).toThrow(
      "manifest of berth-live names no imageTagParameter; redeploy berth-live with this version's cdk deploy",
    );
  });
});
