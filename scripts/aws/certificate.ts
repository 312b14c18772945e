import { type ACMClient, type CertificateDetail, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { FailedError } from '../core/errors';
import { withPermission } from './permission';

/**
 * Reads an ACM certificate.
 * @param acm an ACM client in the load balancer's region
 * @param certificateArn the certificate
 */
export async function describeCertificate(acm: ACMClient, certificateArn: string): Promise<CertificateDetail> {
  const response = await withPermission('acm:DescribeCertificate', () =>
    acm.send(new DescribeCertificateCommand({ CertificateArn: certificateArn })),
  );
  if (!response.Certificate) throw new FailedError(`ACM returned no certificate for ${certificateArn}`);
  return response.Certificate;
}

/**
 * Whether a certificate's names cover a domain name: an exact match, or a wildcard one label up
 * (`*.example.com` covers `be.example.com`, not `a.be.example.com`).
 * @param certificate the certificate
 * @param domainName the name browsers ask for
 */
export function certificateCovers(certificate: CertificateDetail, domainName: string): boolean {
  const domain = domainName.toLowerCase().replace(/\.$/, '');
  const names = [certificate.DomainName, ...(certificate.SubjectAlternativeNames ?? [])].filter((n): n is string => n !== undefined);
  return names.some((raw) => {
    const name = raw.toLowerCase();
    if (name === domain) return true;
    return name.startsWith('*.') && domain.includes('.') && domain.slice(domain.indexOf('.') + 1) === name.slice(2);
  });
}
