import {
  CreateServiceCommand,
  type CreateServiceCommandInput,
  DescribeServicesCommand,
  type DescribeServicesCommandInput,
  UpdateServiceCommand,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { aws } from './mock-aws';

/** One service as ECS keeps it, as much as the desired count needs. */
interface StoredService {
  readonly cluster: string;
  readonly name: string;
  readonly arn: string;
  desiredCount: number;
}

/**
 * The desired counts of ECS services behind the `aws.ecs` mock: CreateService, UpdateService (a count that is not
 * sent stays) and DescribeServices by name or ARN, and {@link FakeEcsServices.scale}, which sets a count as
 * Application Auto Scaling does.
 */
export class FakeEcsServices {
  private readonly services = new Map<string, StoredService>();
  /** every UpdateService request, in order. */
  readonly updates: UpdateServiceCommandInput[] = [];

  /** Installs the fake on the `aws.ecs` mock (call after `resetAwsMocks`). */
  install(): this {
    aws.ecs.on(CreateServiceCommand).callsFake((input: CreateServiceCommandInput) => {
      const cluster = input.cluster ?? 'default';
      const name = input.serviceName!;
      const service: StoredService = {
        cluster,
        name,
        arn: `arn:aws:ecs:eu-west-1:123456789012:service/${cluster}/${name}`,
        desiredCount: input.desiredCount ?? 0,
      };
      this.services.set(`${cluster}/${name}`, service);
      return { service: this.describe(service) };
    });
    aws.ecs.on(UpdateServiceCommand).callsFake((input: UpdateServiceCommandInput) => {
      this.updates.push(input);
      const service = this.find(input.cluster ?? 'default', input.service!);
      if (!service) throw Object.assign(new Error('Service not found.'), { name: 'ServiceNotFoundException' });
      if (input.desiredCount !== undefined) service.desiredCount = input.desiredCount;
      return { service: this.describe(service) };
    });
    aws.ecs.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => {
      const found = (input.services ?? []).map((s) => this.find(input.cluster ?? 'default', s));
      return {
        services: found.filter((s): s is StoredService => s !== undefined).map((s) => this.describe(s)),
        failures: (input.services ?? []).filter((_s, i) => !found[i]).map((arn) => ({ arn, reason: 'MISSING' })),
      };
    });
    return this;
  }

  /** The desired count of the only service there is. */
  desiredCount(): number {
    return this.only().desiredCount;
  }

  /**
   * Sets the desired count of the only service, as a scaling activity of Application Auto Scaling does.
   * @param count the new count
   */
  scale(count: number): void {
    this.only().desiredCount = count;
  }

  private only(): StoredService {
    const all = [...this.services.values()];
    if (all.length !== 1) throw new Error(`${all.length} services, expected one`);
    return all[0]!;
  }

  private find(cluster: string, nameOrArn: string): StoredService | undefined {
    return [...this.services.values()].find((s) => s.cluster === cluster && (s.name === nameOrArn || s.arn === nameOrArn));
  }

  private describe(service: StoredService) {
    return { serviceName: service.name, serviceArn: service.arn, status: 'ACTIVE', desiredCount: service.desiredCount };
  }
}
