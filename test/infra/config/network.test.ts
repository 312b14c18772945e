import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { subnetMask } from '../../../infra/config/network';
import { testApp } from '../../_helpers/synth';

/** The masks aws-cdk-lib's Vpc gives its subnets, as berth configures it (no cidrMask). */
function cdkMasks(cidr: string, zones: number, withPrivate: boolean): number[] {
  const stack = new Stack(testApp(), 'Network', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(cidr),
    availabilityZones: ['a', 'b', 'c', 'd', 'e', 'f'].slice(0, zones).map((letter) => `us-east-1${letter}`),
    natGateways: withPrivate ? 1 : 0,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      ...(withPrivate ? [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }] : []),
    ],
  });
  return [...vpc.publicSubnets, ...vpc.privateSubnets].map((subnet) => Number(subnet.ipv4CidrBlock.split('/')[1]));
}

describe('the subnet split the config checks', () => {
  test.each([
    ['10.0.0.0/16', 2, true],
    ['10.0.0.0/16', 3, true],
    ['10.0.0.0/20', 6, true],
    ['10.0.0.0/23', 6, true],
    ['10.0.0.0/24', 6, true],
    ['10.0.0.0/24', 5, true],
    ['10.0.0.0/24', 2, false],
    ['10.0.0.0/22', 3, false],
  ] as const)('is the one aws-cdk-lib makes of %s over %i zones (private subnets: %s)', (cidr, zones, withPrivate) => {
    // GIVEN
    const prefix = Number(cidr.split('/')[1]);
    const count = zones * (withPrivate ? 2 : 1);

    // WHEN
    const masks = cdkMasks(cidr, zones, withPrivate);

    // THEN
    expect(masks).toHaveLength(count);
    expect(new Set(masks)).toEqual(new Set([subnetMask(prefix, count)]));
  });
});
