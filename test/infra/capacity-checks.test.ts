import {
  architectureProblem,
  databaseClassProblem,
  eniTrunkingProblem,
  releaseRoomProblem,
  taskFitProblem,
  unknownInstanceTypeProblem,
} from '../../infra/capacity-checks';
import { findInstanceType, type InstanceTypeFacts } from '../../infra/facts/instance-types';

function type(name: string): InstanceTypeFacts {
  const facts = findInstanceType(name);
  if (!facts) throw new Error(`no ${name} in the table`);
  return facts;
}

const REFRESH = 'if AWS added it since, refresh the tables: npm run generate:instance-types (see the README)';

describe('an instance type the table does not know', () => {
  test.each([
    ['m7g.nano', /allowed: the sizes of m7g: medium, large, xlarge, 2xlarge, .*metal;/],
    ['t3.metal', /allowed: the sizes of t3: nano, micro, small, medium, large, xlarge, 2xlarge;/],
    ['t9.small', /allowed: a type such as t3\.small, t4g\.small or m7g\.large;/],
  ])('%s is refused with the sizes that exist and how to refresh the table', (name, allowed) => {
    // WHEN
    const problem = unknownInstanceTypeProblem('environments.pre.instanceType', name, findInstanceType(name));

    // THEN
    expect(problem).toMatch(
      new RegExp(
        `^environments\\.pre\\.instanceType: "${name.replace('.', '\\.')}" is not an EC2 instance type in berth's table \\(aws/karpenter-provider-aws 2026-07-11\\); `,
      ),
    );
    expect(problem).toMatch(allowed);
    expect(problem!.endsWith(REFRESH)).toBe(true);
  });

  test('a type the table knows passes', () => {
    expect(unknownInstanceTypeProblem('environments.pre.instanceType', 't3.small', findInstanceType('t3.small'))).toBeUndefined();
  });
});

describe('the architecture comes from the table', () => {
  test('arm64 on an x86_64 type is refused', () => {
    expect(architectureProblem('environments.live.architecture', type('m5.large'), 'arm64')).toBe(
      'environments.live.architecture: "arm64" does not match instance type m5.large, which is x86_64; set architecture to "x86_64" or pick a arm64 instance type',
    );
  });

  test('a matching architecture passes', () => {
    expect(architectureProblem('environments.live.architecture', type('t4g.medium'), 'arm64')).toBeUndefined();
  });
});

describe('ENI trunking needs a type ECS trunks', () => {
  test('t3.small is refused, with the source of the trunking table', () => {
    expect(eniTrunkingProblem('environments.live.eniTrunking', type('t3.small'), true)).toBe(
      'environments.live.eniTrunking: true, but ECS ENI trunking does not support t3.small (awsdocs/amazon-ecs-developer-guide 2023-04-18); allowed: false, or an instance type ECS trunks such as m6i.large, m7g.large or c6g.large',
    );
  });

  test('m6i.large passes, and so does trunking off', () => {
    expect(eniTrunkingProblem('environments.live.eniTrunking', type('m6i.large'), true)).toBeUndefined();
    expect(eniTrunkingProblem('environments.live.eniTrunking', type('t3.small'), false)).toBeUndefined();
  });
});

describe('a task must fit one instance', () => {
  test('4096 CPU units and 16000 MiB on a t4g.small (issue 13) are refused with both numbers', () => {
    expect(taskFitProblem('environments.pre', type('t4g.small'), { cpu: 4096, memoryMiB: 16000 }, false)).toBe(
      'environments.pre.container: 4096 CPU units and 16000 MiB do not fit one instance: a t4g.small offers tasks 2048 CPU units and 1894 MiB (2 vCPUs, 2048 MiB less what the OS keeps); allowed: at most 2048 CPU units and 1894 MiB, or a larger instance type',
    );
  });

  test('too much CPU alone names the cpu field', () => {
    expect(taskFitProblem('environments.pre', type('t3.small'), { cpu: 3072, memoryMiB: 512 }, false)).toMatch(
      /^environments\.pre\.container\.cpu: 3072 CPU units do not fit one instance: a t3\.small offers tasks 2048 CPU units/,
    );
  });

  test('all of the nominal memory does not fit: the OS keeps some', () => {
    expect(taskFitProblem('environments.pre', type('t3.small'), { cpu: 256, memoryMiB: 2048 }, false)).toMatch(
      /^environments\.pre\.container\.memoryMiB: 2048 MiB do not fit one instance: a t3\.small offers tasks 2048 CPU units and 1894 MiB/,
    );
  });

  test('a task that fits passes', () => {
    expect(taskFitProblem('environments.pre', type('t3.small'), { cpu: 2048, memoryMiB: 1894 }, false)).toBeUndefined();
  });
});

describe('the group must hold a blue/green release', () => {
  test('pre with maxCapacity 1 and 2 tasks on a t4g.small (issue 13)', () => {
    expect(
      releaseRoomProblem('environments.pre', type('t4g.small'), {
        task: { cpu: 256, memoryMiB: 512 },
        tasks: { count: 2, field: 'desiredTaskCount' },
        maxCapacity: 1,
        eniTrunking: false,
      }),
    ).toBe(
      'environments.pre.maxCapacity: 1 t4g.small instance holds 2 tasks (2 per instance: 2 network interfaces for tasks); a release needs room for 4 (2 x desiredTaskCount 2); allowed: maxCapacity 2 or more, a larger instance type, an instance type ECS trunks (with eniTrunking), or desiredTaskCount 1 or fewer',
    );
  });

  test('live on t4g.small with 4 tasks of 1024 MiB and maxCapacity 2 (issue 13): memory holds it to 1 per instance', () => {
    expect(
      releaseRoomProblem('environments.live', type('t4g.small'), {
        task: { cpu: 256, memoryMiB: 1024 },
        tasks: { count: 4, field: 'desiredTaskCount' },
        maxCapacity: 2,
        eniTrunking: false,
      }),
    ).toBe(
      'environments.live.maxCapacity: 2 t4g.small instances hold 2 tasks (1 per instance: 1894 MiB for tasks of 1024 MiB); a release needs room for 8 (2 x desiredTaskCount 4); allowed: maxCapacity 8 or more, a larger instance type, or desiredTaskCount 1 or fewer',
    );
  });

  test('a type ECS trunks suggests turning trunking on', () => {
    expect(
      releaseRoomProblem('environments.live', type('m6i.large'), {
        task: { cpu: 256, memoryMiB: 512 },
        tasks: { count: 4, field: 'desiredTaskCount' },
        maxCapacity: 1,
        eniTrunking: false,
      }),
    ).toMatch(
      /; allowed: maxCapacity 4 or more, a larger instance type, eniTrunking \(10 tasks per m6i\.large; turn on awsvpcTrunking first, see the README\), or desiredTaskCount 1 or fewer$/,
    );
  });

  test('with trunking the same group holds the release', () => {
    expect(
      releaseRoomProblem('environments.live', type('m6i.large'), {
        task: { cpu: 256, memoryMiB: 512 },
        tasks: { count: 4, field: 'desiredTaskCount' },
        maxCapacity: 1,
        eniTrunking: true,
      }),
    ).toBeUndefined();
  });

  test('no maxCapacity above 100 is offered', () => {
    expect(
      releaseRoomProblem('environments.live', type('t3a.small'), {
        task: { cpu: 256, memoryMiB: 512 },
        tasks: { count: 100, field: 'desiredTaskCount' },
        maxCapacity: 50,
        eniTrunking: false,
      }),
    ).toMatch(/; allowed: a larger instance type, an instance type ECS trunks \(with eniTrunking\), or desiredTaskCount 25 or fewer$/);
  });
});

describe('an RDS DB instance class must be one the engine offers', () => {
  test.each([
    [
      'db.c5.large',
      'mysql',
      /"db\.c5\.large" is not an RDS DB instance class for mysql in berth's table \(aws-cloudformation\/cfn-lint 2026-07-20\); allowed: a class such as db\.t4g\.micro/,
    ],
    [
      'db.t4g.nano',
      'postgres',
      /"db\.t4g\.nano" is not an RDS DB instance class for postgres .*; allowed: the sizes of db\.t4g: micro, small, medium, large, xlarge, 2xlarge;/,
    ],
    ['t4g.nano', 'mysql', /"t4g\.nano" is not an RDS DB instance class for mysql/],
  ] as const)('%s for %s is refused, with how to refresh the table', (name, engine, message) => {
    const problem = databaseClassProblem('environments.live.database.instanceType', name, engine);
    expect(problem).toMatch(new RegExp(`^environments\\.live\\.database\\.instanceType: ${message.source}`));
    expect(problem!.endsWith(REFRESH)).toBe(true);
  });

  test.each(['db.t4g.micro', 't4g.micro', 'db.m7g.large'])('%s passes', (name) => {
    expect(databaseClassProblem('environments.live.database.instanceType', name, 'postgres')).toBeUndefined();
  });
});
