import { ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { aws, resetAwsMocks, takeUnscriptedCalls, undeclaredCalls } from './mock-aws';

const ecs = new ECSClient({ region: 'eu-west-1' });

describe('the AWS mocks of the tests', () => {
  beforeEach(() => resetAwsMocks());

  test('answer a scripted call', async () => {
    // GIVEN
    aws.ecs.on(ListTasksCommand, { cluster: 'c' }).resolves({ taskArns: ['arn:task/1'] });

    // WHEN / THEN
    await expect(ecs.send(new ListTasksCommand({ cluster: 'c' }))).resolves.toEqual({ taskArns: ['arn:task/1'] });
    expect(takeUnscriptedCalls()).toEqual([]);
  });

  test('reject a call nobody scripted, naming the client, the command and its input, and keep it for the check after the test', async () => {
    // GIVEN
    aws.ecs.on(ListTasksCommand, { cluster: 'c' }).resolves({ taskArns: [] });

    // WHEN
    const answer = ecs.send(new ListTasksCommand({ cluster: 'other' }));

    // THEN
    await expect(answer).rejects.toThrow(
      'unscripted AWS call aws.ecs ListTasksCommand {"cluster":"other"}: script it in the test with aws.ecs.on(ListTasksCommand, …)',
    );
    expect(takeUnscriptedCalls()).toEqual(['aws.ecs ListTasksCommand {"cluster":"other"}']);
  });
});

describe('the check that a command declares its calls', () => {
  beforeEach(() => resetAwsMocks());

  test("names a call the command's test sent that infra/duties.ts does not declare for it", async () => {
    // GIVEN logs declares ssm:GetParameter and logs:FilterLogEvents, not ecs:ListTasks
    aws.ecs.on(ListTasksCommand).resolves({ taskArns: [] });
    await ecs.send(new ListTasksCommand({ cluster: 'c' }));

    // WHEN / THEN
    expect(undeclaredCalls('/repo/test/scripts/commands/logs.test.ts')).toEqual(['logs: ecs:ListTasks']);
    expect(undeclaredCalls('/repo/test/scripts/commands/exec.test.ts')).toEqual([]);
    // a test of something other than a command is not checked.
    expect(undeclaredCalls('/repo/test/scripts/aws/tasks.test.ts')).toEqual([]);
  });
});
