import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ApplicableGuardRules, applicableRules } from '../_helpers/compliance';
import { testApp } from '../_helpers/synth';

describe('the compliance tests run cfn-guard with only the rules that apply', () => {
  test('a rule is kept when it names no resource type or a type the templates have, else left out', () => {
    // GIVEN
    const rules = [
      { file: 'any.guard', types: [] },
      { file: 'bucket.guard', types: ['AWS::S3::Bucket', 'AWS::S3::BucketPolicy'] },
      { file: 'api.guard', types: ['AWS::ApiGateway::Stage'] },
    ];

    // THEN
    expect(applicableRules(new Set(['AWS::S3::Bucket', 'AWS::IAM::Role']), rules)).toEqual(['any.guard', 'bucket.guard']);
  });

  test('still finds what the full rule set finds in a template: an S3 bucket without logging or versioning', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-guard-'));
    // only cfn-guard: CloudFormation's template validation (a WebAssembly engine) would add seconds here.
    const app = testApp({ outdir, builtinCloudFormationValidation: false });
    new s3.CfnBucket(new Stack(app, 'Plain'), 'Bucket');
    const guard = new ApplicableGuardRules();
    Validations.of(app).addPlugins(guard);

    // WHEN
    const report = (() => {
      try {
        app.synth();
        return 'no finding';
      } catch (err) {
        return String(err);
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    })();

    // THEN
    expect(guard.rulesRun).toBeGreaterThan(0);
    expect(report).toContain('cdk-validator-cfnguard::s3_bucket_logging_enabled_check');
    expect(report).toContain('cdk-validator-cfnguard::s3_bucket_versioning_enabled_check');
  });
});
