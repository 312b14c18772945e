import { chooseResolvers, DEFAULT_PUBLIC_RESOLVERS, parseResolvers } from '../../../scripts/checks/resolvers';
import { UsageError } from '../../../scripts/core/errors';

describe('the resolvers of the public-DNS link', () => {
  test('default to Cloudflare and Google when nothing chooses others', () => {
    expect(chooseResolvers({}, {})).toEqual({ resolvers: { Cloudflare: '1.1.1.1', Google: '8.8.8.8' } });
    expect(DEFAULT_PUBLIC_RESOLVERS).toEqual({ Cloudflare: '1.1.1.1', Google: '8.8.8.8' });
  });

  test('come from --skip-public-dns, else --resolver, else BERTH_PUBLIC_RESOLVERS', () => {
    const env = { BERTH_PUBLIC_RESOLVERS: 'Office=10.0.0.2' };
    expect(chooseResolvers({ 'skip-public-dns': true, resolver: ['A=127.0.0.1'] }, env)).toEqual({
      skipped: 'skipped (--skip-public-dns)',
    });
    expect(chooseResolvers({ resolver: ['A=127.0.0.1', 'B=127.0.0.2:5353,C=[::1]:53'] }, env)).toEqual({
      resolvers: { A: '127.0.0.1', B: '127.0.0.2:5353', C: '[::1]:53' },
    });
    expect(chooseResolvers({}, env)).toEqual({ resolvers: { Office: '10.0.0.2' } });
    expect(chooseResolvers({}, { BERTH_PUBLIC_RESOLVERS: 'none' })).toEqual({ skipped: 'skipped (BERTH_PUBLIC_RESOLVERS=none)' });
    expect(chooseResolvers({ resolver: ['none'] }, {})).toEqual({ skipped: 'skipped (--resolver=none)' });
  });

  test.each([
    ['Cloudflare=1.1.1'],
    ['1.1.1.1'],
    ['Local=127.0.0.1:99999'],
    ['Local=127.0.0.1:0'],
    ['Local=resolver.example:53'],
    ['=127.0.0.1'],
  ])('%s is refused with one line that says what is allowed', (text) => {
    expect(() => parseResolvers(text, 'BERTH_PUBLIC_RESOLVERS')).toThrow(
      new UsageError(
        `BERTH_PUBLIC_RESOLVERS "${text}" is not Name=ip[:port]; allowed: Name=ip[:port] such as Cloudflare=1.1.1.1, Local=127.0.0.1:5353 or Lab=[2001:db8::53]:53, several comma-separated, or none`,
      ),
    );
  });

  test('an IPv6 address is taken with or without a port', () => {
    expect(parseResolvers('Lab=2001:db8::53,Lab2=[2001:db8::54]:5353', '--resolver')).toEqual({
      Lab: '2001:db8::53',
      Lab2: '[2001:db8::54]:5353',
    });
  });
});
