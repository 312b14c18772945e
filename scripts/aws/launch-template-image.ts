import { DescribeLaunchTemplateVersionsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { withPermission } from './permission';

/** The AMIs the launch template starts instances from now. */
export interface LaunchTemplateImages {
  /** AMI id of the `$Default` version, the one the Auto Scaling group launches unless told otherwise. */
  readonly defaultImageId?: string;
  /** AMI id of the `$Latest` version. */
  readonly latestImageId?: string;
}

const SSM_REFERENCE = 'resolve:ssm:';

/**
 * Reads the AMI ids of the launch template's `$Default` and `$Latest` versions. A launch template may name
 * its image as an SSM parameter (`resolve:ssm:/aws/service/ecs/optimized-ami/…`), resolved at each launch;
 * the parameter's value now is the AMI a new instance would get, so that is what is compared.
 * @param ec2 an EC2 client
 * @param ssm an SSM client in the same region
 * @param launchTemplateId the launch template from the manifest
 */
export async function launchTemplateImages(ec2: EC2Client, ssm: SSMClient, launchTemplateId: string): Promise<LaunchTemplateImages> {
  const response = await withPermission('ec2:DescribeLaunchTemplateVersions', () =>
    ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: launchTemplateId, Versions: ['$Default', '$Latest'] })),
  );
  const versions = response.LaunchTemplateVersions ?? [];
  const defaultVersion = versions.find((v) => v.DefaultVersion) ?? versions[0];
  const latestVersion = [...versions].sort((a, b) => (b.VersionNumber ?? 0) - (a.VersionNumber ?? 0))[0];
  const resolved = new Map<string, string | undefined>();
  const resolve = async (imageId: string | undefined): Promise<string | undefined> => {
    if (imageId === undefined || !imageId.startsWith(SSM_REFERENCE)) return imageId;
    if (!resolved.has(imageId)) {
      const name = imageId.slice(SSM_REFERENCE.length);
      const parameter = await withPermission('ssm:GetParameter', () => ssm.send(new GetParameterCommand({ Name: name })));
      resolved.set(imageId, parameter.Parameter?.Value);
    }
    return resolved.get(imageId);
  };
  return {
    defaultImageId: await resolve(defaultVersion?.LaunchTemplateData?.ImageId),
    latestImageId: await resolve(latestVersion?.LaunchTemplateData?.ImageId),
  };
}
