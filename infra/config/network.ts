/**
 * The subnets the shared stack's new VPC gets, computed as aws-cdk-lib computes them, and the addresses
 * they must hold. Nothing in this file may import aws-cdk-lib: the CLI bundles the config's checks.
 */
import { type BerthConfig, mostTasks, type NewVpcConfig } from './resolve';

/** Addresses AWS keeps in every subnet: the first four and the last (VPC user guide, subnet CIDR blocks). */
export const RESERVED_ADDRESSES_PER_SUBNET = 5;

/** Free addresses an Application Load Balancer needs in each of its subnets (ELB user guide, ALB subnets). */
export const ALB_FREE_ADDRESSES = 8;

/** The smallest subnet an Application Load Balancer takes: a /27 (ELB user guide, ALB subnets). */
export const ALB_LARGEST_MASK = 27;

/** The load balancers in the public subnets: one per environment. */
const LOAD_BALANCERS = 2;

/**
 * The mask of each subnet when `count` subnets share a CIDR evenly: aws-cdk-lib's `Vpc` gives every
 * subnet configuration without a `cidrMask` (berth sets none) an equal share of the VPC, the largest
 * power of two that fits (aws-cdk-lib 2.276.0, aws-ec2/lib/network-util.ts,
 * NetworkBuilder.maskForRemainingSubnets: `32 - floor(log2(floor(size / count)))`).
 * @param prefix the VPC CIDR's prefix length
 * @param count subnets: one per zone for each subnet configuration
 */
export function subnetMask(prefix: number, count: number): number {
  return 32 - Math.floor(Math.log2(Math.floor(2 ** (32 - prefix) / count)));
}

/** Addresses a subnet of this mask offers for use. */
export function usableAddresses(mask: number): number {
  return 2 ** (32 - mask) - RESERVED_ADDRESSES_PER_SUBNET;
}

/** What one zone's subnets of a new VPC must hold at the peak of a release in both environments. */
export interface SubnetDemand {
  /** addresses the public subnet of a zone needs. */
  readonly publicAddresses: number;
  /** addresses the subnet the instances are in needs (the private one, or the public one with public instances). */
  readonly instanceAddresses: number;
}

/**
 * Addresses per zone at the peak: each environment at `maxCapacity` instances (one address each) with
 * blue and green tasks side by side at its most tasks (one interface each, awsvpc), a database client task and the
 * database; spread evenly over the zones, as the Auto Scaling group and the ECS service spread them.
 * The public subnets hold the load balancers' addresses and the NAT gateways'.
 * @param config the resolved config
 * @param vpc its new VPC
 */
export function subnetDemand(config: BerthConfig, vpc: NewVpcConfig): SubnetDemand {
  const zones = vpc.availabilityZones.length;
  const environments = Object.values(config.environments);
  const spread = environments.reduce((sum, e) => sum + e.maxCapacity + 2 * mostTasks(e).count + (e.database ? 1 : 0), 0);
  const databases = environments.filter((e) => e.database).length;
  const tasksAndInstances = Math.ceil(spread / zones) + databases;
  const natPerZone = vpc.natGateways > 0 ? 1 : 0;
  const loadBalancers = LOAD_BALANCERS * ALB_FREE_ADDRESSES + natPerZone;
  return vpc.instanceSubnets === 'public'
    ? { publicAddresses: loadBalancers + tasksAndInstances, instanceAddresses: loadBalancers + tasksAndInstances }
    : { publicAddresses: loadBalancers, instanceAddresses: tasksAndInstances };
}

/**
 * What is wrong with the subnets a new VPC's CIDR gives, or nothing.
 * @param config the resolved config
 * @param vpc its new VPC
 */
export function subnetProblem(config: BerthConfig, vpc: NewVpcConfig): string | undefined {
  const zones = vpc.availabilityZones.length;
  const kinds = vpc.instanceSubnets === 'private' ? 2 : 1;
  const demand = subnetDemand(config, vpc);
  const fits = (prefix: number) => {
    const mask = subnetMask(prefix, zones * kinds);
    const usable = usableAddresses(mask);
    return mask <= ALB_LARGEST_MASK && usable >= demand.publicAddresses && usable >= demand.instanceAddresses;
  };
  const prefix = Number(vpc.cidr.split('/')[1]);
  if (fits(prefix)) return undefined;
  const mask = subnetMask(prefix, zones * kinds);
  const usable = usableAddresses(mask);
  let largest = prefix;
  while (largest > 16 && !fits(largest)) largest -= 1;
  const allowed = fits(largest) ? `a /${largest} or larger CIDR for ${zones} zones, or fewer zones` : 'fewer zones or instances';
  const subnets = `${vpc.cidr} over ${zones} zones gives /${mask} subnets (${usable} usable addresses each)`;
  if (mask > ALB_LARGEST_MASK) {
    return `${subnets}; a load balancer needs a /${ALB_LARGEST_MASK} or larger in every zone; allowed: ${allowed}`;
  }
  if (usable < demand.publicAddresses) {
    const parts = [`${ALB_FREE_ADDRESSES} free for each of the ${LOAD_BALANCERS} load balancers`];
    if (vpc.natGateways > 0) parts.push('1 for a NAT gateway');
    if (vpc.instanceSubnets === 'public') parts.push("the instances and tasks at a release's peak");
    return `${subnets}; the public subnet of each zone needs ${demand.publicAddresses} (${parts.join(', ')}); allowed: ${allowed}`;
  }
  return `${subnets}; the private subnet of each zone needs ${demand.instanceAddresses} for instances, blue and green tasks and databases at a release's peak; allowed: ${allowed}`;
}
