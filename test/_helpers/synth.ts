import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addBerthStacks, type BerthStacks } from '../../infra/berth-app';
import { type BerthConfig, parseConfig } from '../../infra/config';

/** The example config every fresh clone synthesizes. */
export const EXAMPLE_CONFIG_FILE = path.join(__dirname, '..', '..', 'config', 'example.json');

type RawConfig = Record<string, unknown>;

/** The example config as parsed JSON, for tests that change one field. */
export function exampleRawConfig(): RawConfig {
  return JSON.parse(fs.readFileSync(EXAMPLE_CONFIG_FILE, 'utf8')) as RawConfig;
}

/** The berth app for a config, with the template of each stack. */
export interface SynthesizedBerth {
  readonly app: App;
  readonly config: BerthConfig;
  readonly stacks: BerthStacks;
  readonly shared: Template;
  readonly pre: Template;
  readonly live: Template;
}

/**
 * Builds and synthesizes the whole app, as `cdk synth` does, without validation plugins.
 * @param change edits the example config (a parsed copy) before it is validated
 */
export function synthBerth(change: (raw: RawConfig) => void = () => undefined): SynthesizedBerth {
  const raw = exampleRawConfig();
  change(raw);
  const config = parseConfig(raw, 'test config');
  // the built-in CloudFormation validation runs in the compliance test; here it would only add seconds.
  const app = new App({ builtinCloudFormationValidation: false });
  const stacks = addBerthStacks(app, config);
  return {
    app,
    config,
    stacks,
    shared: Template.fromStack(stacks.shared),
    pre: Template.fromStack(stacks.environments.pre),
    live: Template.fromStack(stacks.environments.live),
  };
}
