import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderUserData, USER_DATA_DIR } from '../../infra/user-data';
import { synthBerth } from '../_helpers/synth';

const templates = fs.readdirSync(USER_DATA_DIR).filter((f) => f.endsWith('.sh'));

describe('the user data templates', () => {
  test.each(templates)('%s passes shellcheck', (file) => {
    // GIVEN: the suite needs shellcheck; README's set-up says how to install it.
    const version = spawnSync('shellcheck', ['--version']);
    if (version.error) throw new Error('shellcheck is not installed: apt-get install shellcheck (or brew install shellcheck)');

    // THEN: throws with shellcheck's findings when there are any.
    execFileSync('shellcheck', ['--shell=bash', '--severity=style', path.join(USER_DATA_DIR, file)], { encoding: 'utf8' });
  });

  test('rendering refuses a placeholder without a value and a value without a placeholder', () => {
    // THEN
    expect(() => renderUserData('ecs-agent.sh', { ClusterName: 'c', Environment: 'pre', ImagePullBehaviour: 'default' })).toThrow(
      'userdata/ecs-agent.sh uses {{ContainerStopTimeout}} but no value was given',
    );
    expect(() =>
      renderUserData('ecs-agent.sh', {
        ClusterName: 'c',
        Environment: 'pre',
        ImagePullBehaviour: 'default',
        ContainerStopTimeout: '30',
        Extra: 'x',
      }),
    ).toThrow('userdata/ecs-agent.sh has no placeholder for Extra');
  });
});

describe('the rendered user data of each environment', () => {
  const berth = synthBerth();

  test.each(['pre', 'live'] as const)('%s: is exactly the template, with every agent setting once', (name) => {
    // GIVEN
    const stack = berth.stacks.environments[name];
    const capacity = stack.capacity;
    const lines = stack.resolve(capacity.userData) as unknown;
    const template = berth[name];
    const launchTemplate = Object.values(template.findResources('AWS::EC2::LaunchTemplate'))[0];

    // THEN: the launch template's user data is the rendered file, and nothing was appended to it.
    expect(launchTemplate.Properties.LaunchTemplateData.UserData).toEqual({ 'Fn::Base64': lines });
    const text = JSON.stringify(launchTemplate.Properties.LaunchTemplateData.UserData);
    for (const setting of [
      'ECS_CLUSTER=',
      'ECS_INSTANCE_ATTRIBUTES=',
      'ECS_IMAGE_PULL_BEHAVIOR=',
      'ECS_CONTAINER_STOP_TIMEOUT=',
      'ECS_ENABLE_SPOT_INSTANCE_DRAINING=true',
      'ECS_ENABLE_CONTAINER_METADATA=true',
    ]) {
      expect(text.split(setting)).toHaveLength(2);
    }
    expect(text).toContain(`ECS_IMAGE_PULL_BEHAVIOR=${berth.config.environments[name].imagePullBehaviour}\\n`);
    expect(text).toContain(`ECS_INSTANCE_ATTRIBUTES={\\"berth:environment\\":\\"${name}\\"}`);
    expect(text).toContain(`ECS_CONTAINER_STOP_TIMEOUT=${berth.config.environments[name].container.stopTimeoutSeconds}s`);
    expect(text).toContain('ECS_CLUSTER=",{"Ref":"CapacityCluster');
  });

  test('no TypeScript source writes an ECS agent setting: userdata/ is the one source of truth', () => {
    // GIVEN
    const sources = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

    // THEN
    for (const file of sources(path.join(__dirname, '..', '..', 'infra'))) {
      expect([file, /ECS_[A-Z_]+=/.test(fs.readFileSync(file, 'utf8'))]).toEqual([file, false]);
    }
  });
});
