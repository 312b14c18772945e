#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addBerthStacks, summary } from './berth-app';
import { ConfigError, loadConfig } from './config';

// the only place that reads context or the environment: everything below gets typed, validated props.
const DEFAULT_CONFIG = 'config/example.json';

const app = new App();
const contextConfig: unknown = app.node.tryGetContext('config');
const configFile = typeof contextConfig === 'string' ? contextConfig : (process.env.BERTH_CONFIG ?? DEFAULT_CONFIG);

try {
  const config = loadConfig(configFile);
  addBerthStacks(app, config);
  // stderr, so that `cdk synth <stack>` still prints a clean template on stdout.
  process.stderr.write(`${summary(config)}\n  (config: ${configFile})\n`);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
