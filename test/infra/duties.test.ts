import { APP_NAME } from '../../infra/config/patterns';
import { callsOfDuty, COMMAND_ACCESS, type Duty, dutyRoleName } from '../../infra/duties';
import { COMMANDS } from '../../scripts/commands';

// the list the duty roles are built from: complete, and read-only where a duty must only read.
describe("the duties and each command's calls", () => {
  test('every berth command has a duty and its calls', () => {
    expect(COMMANDS.map((c) => c.name).filter((name) => !(name in COMMAND_ACCESS))).toEqual([]);
  });

  test('the viewer only reads: no call of a viewer command writes, starts or runs anything', () => {
    // iam:SimulatePrincipalPolicy (berth verify) only evaluates policies: it changes nothing (IAM API reference);
    // ecr:BatchGetImage reads a manifest, access level Read in the Service Authorization Reference.
    const reads = /:(Describe|Get|BatchGet|List|Filter|SimulatePrincipalPolicy)[A-Za-z]*$/;
    const writes = callsOfDuty('viewer').filter((c) => !reads.test(c.action));
    expect(writes).toEqual([]);
  });

  test("the troubleshooter and the releaser include every call of the viewer, and neither has the other one's writes", () => {
    const actions = (duty: Duty) => callsOfDuty(duty).map((c) => `${c.action} ${c.resource}`);
    for (const duty of ['troubleshooter', 'releaser'] as const) expect(actions(duty)).toEqual(expect.arrayContaining(actions('viewer')));
    expect(actions('troubleshooter')).not.toContain('ecs:UpdateService service');
    expect(actions('troubleshooter')).not.toContain('ssm:PutParameter imageTagParameter');
    expect(actions('releaser')).not.toContain('ecs:ExecuteCommand tasks');
    expect(actions('releaser')).not.toContain('ssm:StartSession instances');
  });

  test('the releaser may continue and stop the deployments the release gate pauses', () => {
    expect(callsOfDuty('releaser').map((c) => c.action)).toEqual(
      expect.arrayContaining([
        'ecs:ContinueServiceDeployment',
        'ecs:StopServiceDeployment',
        'ecs:DescribeServiceDeployments',
        'ecs:ListServiceDeployments',
      ]),
    );
  });

  test("a duty role's name fits IAM's 64 characters for the longest app name", () => {
    // GIVEN the longest name APP_NAME allows
    const longest = 'a'.repeat(20);
    expect([APP_NAME.test(longest), APP_NAME.test(`${longest}a`)]).toEqual([true, false]);

    // WHEN / THEN
    expect(dutyRoleName(longest, 'live', 'troubleshooter').length).toBeLessThanOrEqual(64);
  });
});
