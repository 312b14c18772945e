import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { answer, type CustomResourceEvent, type CustomResourceResponse, putResponse } from '../../../infra/handlers/custom-resource';
import { handleImageTagParameter } from '../../../infra/handlers/image-tag-parameter';
import { dispatch } from '../../../infra/handlers/index';
import { FakeParameterStore } from '../../_helpers/fake-parameter-store';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';
import { RELEASE_TAG_PATTERN } from '../../../infra/manifest';

const NAME = '/berth/berth/live/image-tag';

function event(requestType: CustomResourceEvent['RequestType'], extra: Partial<CustomResourceEvent> = {}): CustomResourceEvent {
  return {
    RequestType: requestType,
    ResponseURL: 'https://response.invalid/',
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/berth-shared/1',
    RequestId: 'r1',
    ResourceType: 'Custom::BerthImageTagParameter',
    LogicalResourceId: 'ReleaseStateImageTagParameter7E370E3B',
    ResourceProperties: {
      Name: NAME,
      InitialValue: 'v1.0.0',
      AllowedPattern: RELEASE_TAG_PATTERN,
      Description: 'the release live runs',
      Tags: [{ Key: 'berth:app', Value: 'berth' }],
    },
    ...extra,
  };
}

beforeEach(() => {
  resetAwsMocks();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

describe('the answer to CloudFormation', () => {
  test('is put to the response URL as JSON with no content type, which the pre-signed URL requires', async () => {
    // GIVEN: a local stand-in for the pre-signed S3 URL.
    const received: { method?: string; type?: string; body: string }[] = [];
    const server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ method: request.method, type: request.headers['content-type'], body });
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response?signature=x`;

    try {
      // WHEN
      await answer(event('Create', { ResponseURL: url }), async () => ({ physicalResourceId: 'p1', data: { A: 'b' } }), putResponse);
    } finally {
      server.close();
    }

    // THEN
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'PUT', type: '' });
    expect(JSON.parse(received[0]!.body)).toEqual({
      Status: 'SUCCESS',
      Reason: 'done',
      PhysicalResourceId: 'p1',
      StackId: event('Create').StackId,
      RequestId: 'r1',
      LogicalResourceId: 'ReleaseStateImageTagParameter7E370E3B',
      Data: { A: 'b' },
    });
  });

  test('says FAILED with the reason when the handler throws, so the stack does not wait for an hour', async () => {
    // GIVEN
    const sent: CustomResourceResponse[] = [];

    // WHEN
    await answer(
      event('Update', { PhysicalResourceId: NAME }),
      async () => Promise.reject(new Error('no')),
      async (_, r) => void sent.push(r),
    );

    // THEN
    expect(sent).toEqual([expect.objectContaining({ Status: 'FAILED', Reason: 'no', PhysicalResourceId: NAME })]);
  });

  test('refuses a resource type that is not berth', async () => {
    // WHEN
    const response = await dispatch(
      event('Create', { ResourceType: 'Custom::Other' }),
      { elbv2: {} as never, ssm: new SSMClient({}), autoScaling: {} as never, ecs: {} as never },
      async () => undefined,
    );

    // THEN
    expect(response).toMatchObject({ Status: 'FAILED', Reason: "resource type Custom::Other is not one of berth's" });
  });
});

describe('the image-tag parameter handler', () => {
  const ssm = new SSMClient({ region: 'eu-west-1' });
  let store: FakeParameterStore;

  beforeEach(() => {
    store = new FakeParameterStore().install();
  });

  test('creates the parameter with its initial value and pattern, never overwriting', async () => {
    // WHEN
    await handleImageTagParameter(ssm, event('Create'));

    // THEN
    expect(aws.ssm).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: NAME,
      Value: 'v1.0.0',
      Overwrite: false,
      AllowedPattern: RELEASE_TAG_PATTERN,
    });
    expect(store.latest(NAME)).toMatchObject({ version: 1, value: 'v1.0.0', allowedPattern: RELEASE_TAG_PATTERN });
  });

  test('adopts an existing parameter: nothing is written, the tags are set', async () => {
    // GIVEN: live's history from an earlier shared stack.
    await ssm.send(new PutParameterCommand({ Name: NAME, Value: 'v1.0.0', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: NAME, Value: 'v1.4.0', Type: 'String', Overwrite: true }));

    // WHEN
    const result = await handleImageTagParameter(ssm, event('Create'));

    // THEN
    expect(result.physicalResourceId).toBe(NAME);
    expect(store.history(NAME).map((v) => v.value)).toEqual(['v1.0.0', 'v1.4.0']);
    expect(store.tagsFor(NAME)).toEqual({ 'berth:app': 'berth' });
  });

  test('an update writes no value, whatever changed', async () => {
    // GIVEN
    await handleImageTagParameter(ssm, event('Create'));
    aws.ssm.resetHistory();
    const changed = {
      ...event('Create').ResourceProperties,
      InitialValue: 'v9.9.9',
      Description: 'other',
      Tags: [{ Key: 'team', Value: 'a' }],
    };

    // WHEN
    await handleImageTagParameter(
      ssm,
      event('Update', { PhysicalResourceId: NAME, OldResourceProperties: event('Create').ResourceProperties, ResourceProperties: changed }),
    );

    // THEN
    expect(aws.ssm).not.toHaveReceivedCommand(PutParameterCommand);
    expect(store.latest(NAME)).toMatchObject({ version: 1, value: 'v1.0.0' });
    expect(store.tagsFor(NAME)).toEqual({ team: 'a' });
  });

  test('a delete keeps the parameter: it is the release history', async () => {
    // GIVEN
    await handleImageTagParameter(ssm, event('Create'));

    // WHEN
    await handleImageTagParameter(ssm, event('Delete', { PhysicalResourceId: NAME }));

    // THEN
    expect(store.latest(NAME)).toMatchObject({ value: 'v1.0.0' });
  });
});
