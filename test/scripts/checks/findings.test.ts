import { EXIT } from '../../../scripts/core/errors';
import { type Finding, findingsExitCode, formatFindings, safely } from '../../../scripts/checks/findings';

const ok: Finding = { link: 'ALB', status: 'ok', summary: 'active' };
const warn: Finding = { link: 'tasks', status: 'warn', summary: '1 stopped', fix: 'read its logs' };
const fail: Finding = {
  link: 'target health',
  status: 'fail',
  summary: 'no healthy target',
  details: ['i-0aaa:8080 unhealthy'],
  fix: 'read the app logs',
};

describe('findings', () => {
  test('the exit code is that of the worst finding', () => {
    expect(findingsExitCode([ok])).toBe(EXIT.OK);
    expect(findingsExitCode([ok, warn])).toBe(EXIT.WARNINGS);
    expect(findingsExitCode([warn, fail, ok])).toBe(EXIT.FAILED);
  });

  test('the text shows status, link, evidence and fix, then a summary line', () => {
    expect(formatFindings([ok, fail])).toBe(
      [
        'ok    ALB            active',
        'FAIL  target health  no healthy target',
        '                     i-0aaa:8080 unhealthy',
        '                     fix: read the app logs',
        '',
        '1 failing, 0 warning(s): start with the first FAIL above.',
        '',
      ].join('\n'),
    );
  });

  test('a check that throws becomes a warning, but missing credentials stop everything', async () => {
    // WHEN
    const denied = await safely('ALB', async () => {
      throw new Error('AWS denied elasticloadbalancing:DescribeLoadBalancers');
    });
    const noCredentials = safely('ALB', async () => {
      throw Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' });
    });

    // THEN
    expect(denied).toEqual([
      expect.objectContaining({
        link: 'ALB',
        status: 'warn',
        summary: 'could not check: AWS denied elasticloadbalancing:DescribeLoadBalancers',
      }),
    ]);
    await expect(noCredentials).rejects.toThrow('Could not load credentials');
  });
});
