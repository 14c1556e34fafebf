import { Certificate, CertificateValidation } from 'aws-cdk-lib/aws-certificatemanager';
import type { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import { AaaaRecord, ARecord, type IHostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { CloudFrontTarget } from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

export interface SiteDomainProps {
  /** The zone the site's names live in: the apex and `www`. */
  readonly zone: IHostedZone;
}

/**
 * The storefront at its own domain (optional at every stage): a certificate for the zone's apex
 * and `www`, DNS-validated in the zone (CloudFront takes certificates from us-east-1 only, which
 * is why a configured domain needs the primary region there), and IPv4 and IPv6 aliases of both
 * names to the distribution.
 */
export class SiteDomain extends Construct {
  readonly zone: IHostedZone;
  readonly certificate: Certificate;
  readonly names: string[];

  constructor(scope: Construct, id: string, props: SiteDomainProps) {
    super(scope, id);
    this.zone = props.zone;
    const zoneName = props.zone.zoneName;
    this.names = [zoneName, `www.${zoneName}`];
    this.certificate = new Certificate(this, 'Certificate', {
      domainName: zoneName,
      subjectAlternativeNames: [`www.${zoneName}`],
      validation: CertificateValidation.fromDns(this.zone),
    });
  }

  /** Points both names at the distribution. */
  alias(distribution: Distribution): void {
    const target = RecordTarget.fromAlias(new CloudFrontTarget(distribution));
    for (const [index, recordName] of this.names.entries()) {
      new ARecord(this, `A${index}`, { zone: this.zone, recordName, target });
      new AaaaRecord(this, `Aaaa${index}`, { zone: this.zone, recordName, target });
    }
  }
}
