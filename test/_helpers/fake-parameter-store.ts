import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  type Tag,
} from '@aws-sdk/client-ssm';
import { aws } from './mock-aws';

function awsError(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

/** One version of a parameter. */
export interface StoredVersion {
  readonly version: number;
  readonly value: string;
  readonly description?: string;
  readonly allowedPattern?: string;
  /** who wrote it, as the caller passed it to {@link FakeParameterStore.install}. */
  readonly who: string;
}

/** What a PutParameter request carries. */
interface PutInput {
  Name: string;
  Value: string;
  Overwrite?: boolean;
  AllowedPattern?: string;
  Description?: string;
  Tags?: Tag[];
}

/**
 * A scripted SSM Parameter Store behind the `aws.ssm` mock, with version history, `Overwrite` and the allowed
 * pattern enforced as SSM does. An omitted description or pattern keeps the previous version's (as SSM is
 * modelled by moto; AWS's documentation does not say).
 */
export class FakeParameterStore {
  private readonly parameters = new Map<string, StoredVersion[]>();
  private readonly tags = new Map<string, Map<string, string>>();
  /** who the next write is attributed to. */
  writer = 'arn:aws:sts::123456789012:assumed-role/operator/alice';

  /** Installs the fake on the `aws.ssm` mock (call after `resetAwsMocks`). */
  install(): this {
    aws.ssm.on(PutParameterCommand).callsFake((input: PutInput) => this.put(input));
    aws.ssm.on(GetParameterCommand).callsFake((input: { Name: string }) => {
      const latest = this.latest(input.Name);
      if (!latest) throw awsError('ParameterNotFound', `${input.Name} not found`);
      return { Parameter: { Name: input.Name, Value: latest.value, Version: latest.version } };
    });
    aws.ssm.on(GetParameterHistoryCommand).callsFake((input: { Name: string }) => {
      const versions = this.parameters.get(input.Name);
      if (!versions) throw awsError('ParameterNotFound', `${input.Name} not found`);
      return {
        Parameters: versions.map((v) => ({
          Name: input.Name,
          Value: v.value,
          Version: v.version,
          LastModifiedUser: v.who,
          Description: v.description,
        })),
      };
    });
    aws.ssm.on(AddTagsToResourceCommand).callsFake((input: { ResourceId: string; Tags: Tag[] }) => {
      const tags = this.tagsOf(input.ResourceId);
      for (const tag of input.Tags) tags.set(tag.Key!, tag.Value!);
      return {};
    });
    aws.ssm.on(RemoveTagsFromResourceCommand).callsFake((input: { ResourceId: string; TagKeys: string[] }) => {
      const tags = this.tagsOf(input.ResourceId);
      for (const key of input.TagKeys) tags.delete(key);
      return {};
    });
    aws.ssm.on(DeleteParameterCommand).callsFake((input: { Name: string }) => {
      if (!this.parameters.delete(input.Name)) throw awsError('ParameterNotFound', `${input.Name} not found`);
      this.tags.delete(input.Name);
      return {};
    });
    return this;
  }

  private tagsOf(name: string): Map<string, string> {
    if (!this.parameters.has(name)) throw awsError('InvalidResourceId', `${name} not found`);
    let tags = this.tags.get(name);
    if (!tags) this.tags.set(name, (tags = new Map()));
    return tags;
  }

  private put(input: PutInput): { Version: number; Tier: string } {
    const versions = this.parameters.get(input.Name) ?? [];
    const previous = versions[versions.length - 1];
    if (previous && !input.Overwrite) throw awsError('ParameterAlreadyExists', `The parameter ${input.Name} already exists.`);
    if (input.Overwrite && input.Tags) throw awsError('ValidationException', "tags and overwrite can't be used together");
    const allowedPattern = input.AllowedPattern ?? previous?.allowedPattern;
    if (allowedPattern !== undefined && !new RegExp(allowedPattern).test(input.Value)) {
      throw awsError(
        'ParameterPatternMismatchException',
        `Parameter value, ${input.Value}, failed to satisfy constraint: ${allowedPattern}`,
      );
    }
    const description = input.Description ?? previous?.description;
    const version: StoredVersion = {
      version: (previous?.version ?? 0) + 1,
      value: input.Value,
      ...(description !== undefined ? { description } : {}),
      ...(allowedPattern !== undefined ? { allowedPattern } : {}),
      who: this.writer,
    };
    this.parameters.set(input.Name, [...versions, version]);
    if (input.Tags) for (const tag of input.Tags) this.tagsOf(input.Name).set(tag.Key!, tag.Value!);
    return { Version: version.version, Tier: 'Standard' };
  }

  /** The newest version of a parameter. */
  latest(name: string): StoredVersion | undefined {
    const versions = this.parameters.get(name);
    return versions?.[versions.length - 1];
  }

  /** Every version of a parameter, oldest first. */
  history(name: string): readonly StoredVersion[] {
    return this.parameters.get(name) ?? [];
  }

  /** A parameter's tags. */
  tagsFor(name: string): Record<string, string> {
    return Object.fromEntries(this.tags.get(name) ?? []);
  }
}
