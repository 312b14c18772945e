/**
 * `Custom::BerthImageTagParameter`: live's image-tag parameter, whose value only the berth CLI writes once it exists.
 *
 * An `AWS::SSM::Parameter` calls PutParameter with the template's `Value` and `Overwrite: true` at any update of
 * the resource, a changed description or tag included (aws-cloudformation-resource-providers-ssm,
 * aws-ssm-parameter UpdateHandler and Translator.updatePutParameterRequest), which writes the template's tag
 * over the release `berth promote` recorded. This handler writes a value only when the parameter does not
 * exist yet (PutParameter with `Overwrite: false`; the function's role may call nothing else), adopts an
 * existing parameter with its value and history, changes only tags on update, and never deletes it: its
 * version history is the release history.
 */
import {
  AddTagsToResourceCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  type SSMClient,
  type Tag,
} from '@aws-sdk/client-ssm';
import { type CustomResourceEvent, type CustomResourceResult, type ResourceProperties, stringProperty } from './custom-resource';

/** The resource type CloudFormation sends for the parameter. */
export const IMAGE_TAG_PARAMETER_RESOURCE_TYPE = 'Custom::BerthImageTagParameter';

/** The properties of the parameter in the template. */
export interface ImageTagParameterProperties {
  /** the parameter's name, `/berth/<app>/live/image-tag`. */
  readonly Name: string;
  /** the value written when the parameter is created; ignored once it exists. */
  readonly InitialValue: string;
  /** the pattern SSM enforces on every write. */
  readonly AllowedPattern: string;
  /** the parameter's description. */
  readonly Description: string;
  /** the parameter's tags. */
  readonly Tags: readonly Tag[];
}

function parseProperties(properties: ResourceProperties): ImageTagParameterProperties {
  const tags = properties.Tags ?? [];
  if (!Array.isArray(tags)) throw new Error('property Tags is not a list');
  return {
    Name: stringProperty(properties, 'Name'),
    InitialValue: stringProperty(properties, 'InitialValue'),
    AllowedPattern: stringProperty(properties, 'AllowedPattern'),
    Description: stringProperty(properties, 'Description'),
    Tags: tags as Tag[],
  };
}

async function applyTags(ssm: SSMClient, name: string, wanted: readonly Tag[], before: readonly Tag[]): Promise<void> {
  const same = (a: Tag, b: Tag) => a.Key === b.Key && a.Value === b.Value;
  const removed = before.filter((t) => !wanted.some((w) => w.Key === t.Key)).map((t) => t.Key!);
  const added = wanted.filter((t) => !before.some((b) => same(b, t)));
  if (removed.length > 0) {
    await ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: name, TagKeys: removed }));
  }
  if (added.length > 0) await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: name, Tags: added }));
}

/** Creates the parameter with its initial value, or adopts the one that exists (a re-created shared stack). */
async function createOrAdopt(ssm: SSMClient, properties: ImageTagParameterProperties): Promise<CustomResourceResult> {
  try {
    const created = await ssm.send(
      new PutParameterCommand({
        Name: properties.Name,
        Value: properties.InitialValue,
        Type: 'String',
        Tier: 'Standard',
        AllowedPattern: properties.AllowedPattern,
        Description: properties.Description,
        // never true: an existing parameter holds the release history, and the role allows only false.
        Overwrite: false,
        Tags: [...properties.Tags],
      }),
    );
    console.log(`created ${properties.Name} with ${properties.InitialValue} (version ${created.Version ?? '?'})`);
  } catch (err) {
    if ((err as Error).name !== 'ParameterAlreadyExists') throw err;
    console.log(`${properties.Name} exists: adopted with its value and history, nothing written`);
    // tags are metadata, not a version: setting them writes no value.
    await applyTags(ssm, properties.Name, properties.Tags, []);
  }
  return { physicalResourceId: properties.Name, data: { Name: properties.Name } };
}

/**
 * Handles one request for a `Custom::BerthImageTagParameter`.
 * @param ssm an SSM client in the stack's region
 * @param event the request
 */
export async function handleImageTagParameter(ssm: SSMClient, event: CustomResourceEvent): Promise<CustomResourceResult> {
  if (event.RequestType === 'Delete') {
    // the release history outlives the stack; a new shared stack adopts it.
    console.log(`${event.PhysicalResourceId ?? 'the parameter'} is kept: it is live's release history`);
    return { physicalResourceId: event.PhysicalResourceId ?? '' };
  }
  const properties = parseProperties(event.ResourceProperties);
  if (event.RequestType === 'Create' || event.PhysicalResourceId !== properties.Name) return createOrAdopt(ssm, properties);
  const old = parseProperties(event.OldResourceProperties ?? event.ResourceProperties);
  // the description and pattern travel with the CLI's next write (a PutParameter needs a value); only tags change now.
  await applyTags(ssm, properties.Name, properties.Tags, old.Tags);
  return { physicalResourceId: properties.Name, data: { Name: properties.Name } };
}
