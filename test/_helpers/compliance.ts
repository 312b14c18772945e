import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addBerthStacks } from '../../infra/berth-app';
import type { BerthConfig } from '../../infra/config';

interface ValidationReport {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly violations: readonly {
      readonly ruleName: string;
      readonly description?: string;
      readonly violatingConstructs: readonly { readonly constructPath?: string }[];
    }[];
  }[];
}

/**
 * Synthesizes the whole app as `cdk synth` does, with cdk-nag's AwsSolutions pack and the cfn-guard
 * plugin (Control Tower proactive controls and its bundled rules) added, and returns every finding
 * that was not acknowledged, as `plugin rule at construct path` lines.
 * @param config the validated config
 */
export function unacknowledgedFindings(config: BerthConfig): string[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-compliance-'));
  const app = new App({ outdir });
  addBerthStacks(app, config);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CfnGuardValidator());
  const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    app.synth();
  } catch (err) {
    // synthesis throws when a plugin reports an error; the report below says which.
    if (!/Validation failed/.test(String(err))) throw err;
  } finally {
    log.mockRestore();
    warn.mockRestore();
  }
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
  fs.rmSync(outdir, { recursive: true, force: true });
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((violation) =>
      violation.violatingConstructs.map(
        (c) => `${plugin.pluginName} ${violation.ruleName} at ${c.constructPath ?? '(template)'}: ${violation.description ?? ''}`,
      ),
    ),
  );
}
