import { ListResourceRecordSetsCommand, type ResourceRecordSet, type Route53Client } from '@aws-sdk/client-route-53';
import { withPermission } from './permission';

/**
 * Reads the records of one name in a hosted zone (A, AAAA and whatever else it has).
 * @param route53 a Route 53 client
 * @param hostedZoneId the zone
 * @param name the fully qualified name, with or without the trailing dot
 */
export async function recordsOfName(route53: Route53Client, hostedZoneId: string, name: string): Promise<ResourceRecordSet[]> {
  const fqdn = `${name.toLowerCase().replace(/\.$/, '')}.`;
  const response = await withPermission('route53:ListResourceRecordSets', () =>
    route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, StartRecordName: fqdn, MaxItems: 20 })),
  );
  // the listing starts at the name and runs on to the names after it.
  return (response.ResourceRecordSets ?? []).filter((r) => (r.Name ?? '').toLowerCase() === fqdn);
}
