import * as fs from 'node:fs';
import * as path from 'node:path';
import { findInstanceType } from '../../infra/facts/instance-types';
import {
  describeReleaseRoom,
  ECS_RESERVED_MEMORY_MIB,
  expectedRoom,
  releaseRoom,
  taskInterfaces,
  tasksPerInstance,
} from '../../infra/task-capacity';

function type(name: string) {
  const facts = findInstanceType(name);
  if (!facts) throw new Error(`no ${name} in the table`);
  return facts;
}

describe('what one instance offers to tasks', () => {
  test('all its CPU units, its memory less the OS share, its interfaces less its own', () => {
    expect(expectedRoom(type('t4g.small'), false)).toEqual({ cpuUnits: 2048, memoryMiB: 1894, taskInterfaces: 2 });
  });

  test('with ENI trunking, the trunked task limit of a type ECS trunks', () => {
    expect(taskInterfaces(type('m6i.large'), true)).toBe(10);
    expect(taskInterfaces(type('m6i.large'), false)).toBe(2);
  });

  test('trunking changes nothing on a type ECS does not trunk', () => {
    expect(taskInterfaces(type('t3.small'), true)).toBe(2);
  });

  test('the agent reserves no memory because the instance bootstrap sets no ECS_RESERVED_MEMORY', () => {
    // GIVEN
    const userData = fs.readFileSync(path.join(__dirname, '..', '..', 'userdata', 'ecs-agent.sh'), 'utf8');

    // THEN: the arithmetic's reserve is the one the instances get.
    const configured = /^ECS_RESERVED_MEMORY=(\d+)$/m.exec(userData)?.[1];
    expect(Number(configured ?? 0)).toBe(ECS_RESERVED_MEMORY_MIB);
  });
});

describe('tasks per instance', () => {
  test.each([
    // name, cpu, memory, tasks, limited by
    ['t4g.medium', 512, 1024, 2, 'network interfaces'],
    ['t4g.small', 256, 1024, 1, 'memory'],
    ['m6i.large', 1024, 512, 2, 'cpu'],
    ['t3.small', 256, 512, 2, 'network interfaces'],
  ] as const)('%s with tasks of %i CPU units and %i MiB: %i, held by %s', (name, cpu, memoryMiB, tasks, limitedBy) => {
    expect(tasksPerInstance(expectedRoom(type(name), false), { cpu, memoryMiB })).toMatchObject({ tasks, limitedBy });
  });

  test('ENI trunking lifts the interface limit until CPU holds it', () => {
    expect(tasksPerInstance(expectedRoom(type('m6i.large'), true), { cpu: 256, memoryMiB: 512 })).toMatchObject({
      tasks: 8,
      limitedBy: 'cpu',
    });
  });
});

describe('room for a blue/green release', () => {
  test('a release runs blue and green side by side: twice the tasks', () => {
    // GIVEN pre on one t4g.small with 2 tasks (issue 13)
    const perInstance = tasksPerInstance(expectedRoom(type('t4g.small'), false), { cpu: 256, memoryMiB: 512 });

    // WHEN
    const room = releaseRoom(perInstance, 2, 1);

    // THEN
    expect(room).toMatchObject({ held: 2, needed: 4, fits: false, maxCapacityNeeded: 2 });
  });

  test('the example live environment fits, in the words of the synth summary', () => {
    const perInstance = tasksPerInstance(expectedRoom(type('t4g.medium'), false), { cpu: 512, memoryMiB: 1024 });
    const room = releaseRoom(perInstance, 2, 4);
    expect(room.fits).toBe(true);
    expect(describeReleaseRoom(room, 't4g.medium')).toBe(
      '2 tasks per t4g.medium (2 network interfaces for tasks), a release needs 4, max 4 instances hold 8',
    );
  });

  test('a task that fits no instance needs an instance count no group has', () => {
    const perInstance = tasksPerInstance(expectedRoom(type('t4g.small'), false), { cpu: 4096, memoryMiB: 16000 });
    const room = releaseRoom(perInstance, 1, 4);
    expect(room).toMatchObject({ held: 0, fits: false });
    expect(room.maxCapacityNeeded).toBeUndefined();
  });
});
