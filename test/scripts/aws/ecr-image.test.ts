import 'aws-sdk-client-mock-jest';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { findDigests, findImage, imageDigestOf, imageTagOf } from '../../../scripts/aws/ecr-image';
import { RefusedError } from '../../../scripts/core/errors';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';

const ecr = new ECRClient({ region: 'eu-west-1' });

beforeEach(() => resetAwsMocks());

describe('findImage', () => {
  test('returns the digest and push time of the tag', async () => {
    // GIVEN
    aws.ecr
      .on(DescribeImagesCommand)
      .resolves({ imageDetails: [{ imageDigest: 'sha256:aa', imagePushedAt: new Date(0), imageTags: ['v1.4.0'] }] });

    // WHEN
    const image = await findImage(ecr, 'berth', 'v1.4.0');

    // THEN
    expect(image).toEqual({ tag: 'v1.4.0', digest: 'sha256:aa', pushedAt: new Date(0), tags: ['v1.4.0'] });
    expect(aws.ecr).toHaveReceivedCommandWith(DescribeImagesCommand, { repositoryName: 'berth', imageIds: [{ imageTag: 'v1.4.0' }] });
  });

  test('a missing image is a refusal that names repository and tag', async () => {
    // GIVEN
    aws.ecr.on(DescribeImagesCommand).rejects(Object.assign(new Error('nope'), { name: 'ImageNotFoundException' }));

    // WHEN / THEN
    await expect(findImage(ecr, 'berth', 'v9.9.9')).rejects.toThrow(
      new RefusedError(
        'no image berth:v9.9.9 in ECR; has the build for v9.9.9 pushed it? (aws ecr describe-images --repository-name berth)',
      ),
    );
  });

  test('a missing repository is a refusal that says to deploy the shared stack', async () => {
    // GIVEN
    aws.ecr.on(DescribeImagesCommand).rejects(Object.assign(new Error('nope'), { name: 'RepositoryNotFoundException' }));

    // WHEN / THEN
    await expect(findImage(ecr, 'berth', 'v1.0.0')).rejects.toThrow(/ECR repository berth does not exist; deploy the shared stack first/);
  });
});

describe('findDigests', () => {
  test('maps each tag that has an image to its digest and leaves expired ones out', async () => {
    // GIVEN
    aws.ecr
      .on(DescribeImagesCommand, { imageIds: [{ imageTag: 'v1.0.0' }] })
      .resolves({ imageDetails: [{ imageDigest: 'sha256:aa', imageTags: ['v1.0.0'] }] });
    aws.ecr
      .on(DescribeImagesCommand, { imageIds: [{ imageTag: 'v0.9.0' }] })
      .rejects(Object.assign(new Error('gone'), { name: 'ImageNotFoundException' }));

    // WHEN
    const digests = await findDigests(ecr, 'berth', ['v1.0.0', 'v1.0.0', 'v0.9.0']);

    // THEN
    expect([...digests]).toEqual([['v1.0.0', 'sha256:aa']]);
    expect(aws.ecr).toHaveReceivedCommandTimes(DescribeImagesCommand, 2);
  });
});

describe('image references', () => {
  test('split into tag and digest', () => {
    expect(imageTagOf('1.dkr.ecr.eu-west-1.amazonaws.com/berth:v1.4.0')).toBe('v1.4.0');
    expect(imageTagOf('localhost:5000/berth')).toBe('latest');
    expect(imageTagOf('repo@sha256:aa')).toBeUndefined();
    expect(imageDigestOf('repo@sha256:aa')).toBe('sha256:aa');
    expect(imageDigestOf('repo:v1')).toBeUndefined();
  });
});
