import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, type AppProps } from 'aws-cdk-lib';
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
  /** the app; built on first use when the templates came from the worker's cache. */
  readonly app: App;
  readonly config: BerthConfig;
  /** the stacks; built on first use when the templates came from the worker's cache. */
  readonly stacks: BerthStacks;
  readonly shared: Template;
  readonly pre: Template;
  readonly live: Template;
}

/** The three templates of a config, as JSON text. */
type CachedTemplates = { readonly shared: string; readonly pre: string; readonly live: string };

/**
 * The templates this jest worker synthesized, by config. Jest gives each test file its own modules, so a module-level
 * cache would serve one file; Node's core modules are the one thing a worker's files share (jest requires them
 * natively), so the cache hangs off one. It must be the module itself: `import * as os` gives each file a namespace
 * copy of its own (the transform's ES-module interop), on which the cache would again serve one file. Only JSON
 * crosses files: objects of another file's aws-cdk-lib would fail its `instanceof` checks. Synthesizing is
 * deterministic for a config, and the sources do not change within a run.
 */
export const WORKER_CACHE: Map<string, CachedTemplates> = // eslint-disable-next-line @typescript-eslint/no-require-imports -- the native module object, not a per-file copy
  ((require('node:os') as { berthSynthCache?: Map<string, CachedTemplates> }).berthSynthCache ??= new Map());

/**
 * A CDK app for a test. It records no stack traces: by default every construct and every annotation captures the
 * call stack it was made from (aws-cdk-lib's `CfnElement`, `Stack` and `Annotations` read the context keys below; App's
 * `stackTraces: false` sets the annotations' one), which takes more than a third of a synthesis under jest (its
 * source-map support rewrites each stack). Stack traces go into the cloud assembly's metadata, never into a template,
 * and no test reads them. `cdk synth` and `cdk deploy` keep them.
 * @param props the app's other properties
 */
export function testApp(props: AppProps = {}): App {
  return new App({
    ...props,
    stackTraces: false,
    context: { 'aws:cdk:disable-creation-stack-traces': true, ...props.context },
  });
}

/**
 * Builds the whole app as `cdk synth` does, without validation plugins.
 * @param config the validated config
 */
function build(config: BerthConfig): { app: App; stacks: BerthStacks } {
  // the built-in CloudFormation validation runs in the compliance test; here it would only add seconds.
  const app = testApp({ builtinCloudFormationValidation: false });
  return { app, stacks: addBerthStacks(app, config) };
}

/**
 * Synthesizes the whole app for the example config, changed, or takes its templates from this worker's cache.
 * @param change edits the example config (a parsed copy) before it is validated
 */
export function synthBerth(change: (raw: RawConfig) => void = () => undefined): SynthesizedBerth {
  const raw = exampleRawConfig();
  change(raw);
  const config = parseConfig(raw, 'test config');
  const key = JSON.stringify(raw);
  const cached = WORKER_CACHE.get(key);
  let built: { app: App; stacks: BerthStacks } | undefined;
  const app = () => (built ??= build(config));
  if (!cached) {
    const { stacks } = app();
    const [shared, pre, live] = [stacks.shared, stacks.environments.pre, stacks.environments.live].map((stack) =>
      Template.fromStack(stack),
    );
    WORKER_CACHE.set(key, {
      shared: JSON.stringify(shared.toJSON()),
      pre: JSON.stringify(pre.toJSON()),
      live: JSON.stringify(live.toJSON()),
    });
    return { app: built!.app, config, stacks, shared, pre, live };
  }
  const template = (text: string) => Template.fromJSON(JSON.parse(text) as Record<string, unknown>);
  return {
    get app() {
      return app().app;
    },
    config,
    get stacks() {
      return app().stacks;
    },
    shared: template(cached.shared),
    pre: template(cached.pre),
    live: template(cached.live),
  };
}
