import { Duration } from 'aws-cdk-lib';
import { EndpointType, type RestApi, SecurityPolicy } from 'aws-cdk-lib/aws-apigateway';
import { Certificate, CertificateValidation } from 'aws-cdk-lib/aws-certificatemanager';
import type { ApplicationLoadBalancer } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { CnameRecord, HealthCheck, HealthCheckType, type IHostedZone } from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';

export interface RegionalDnsProps {
  /** The zone `api.<zone>` lives in. */
  readonly zone: IHostedZone;
  readonly region: string;
}

/** The API's name in the zone: every region answers for it. */
export const apiHostName = (zoneName: string) => `api.${zoneName}`;

/**
 * This region's part of the API's global name: a certificate for `api.<zone>` (DNS-validated in
 * the zone), a Route 53 health check on the region's `/api/health` (load balancers), and a
 * latency record that sends clients to the nearest region whose health check passes; when one
 * region fails its check, its record drops out and every client goes to the other.
 *
 * The record is the same kind at every stage: a latency CNAME whose set identifier is
 * `api-<region>`, with the same logical id. A stage move then updates it in place. Route 53
 * refuses a name that mixes a simple and a latency record, or a CNAME and any other record, so
 * a simple A record (startup) becoming a latency one (scaling), or an A alias (scaling) becoming
 * a CNAME (enterprise) while the other region still holds an A, would fail the deploy:
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/ResourceRecordTypes.html#CNAMEFormat
 * A CNAME's queries are billed where an alias's to a load balancer are free (USD 0.60 per
 * million latency queries): the price of moves that deploy.
 */
export class RegionalDns extends Construct {
  readonly zone: IHostedZone;
  readonly certificate: Certificate;
  readonly hostName: string;
  private readonly region: string;

  constructor(scope: Construct, id: string, props: RegionalDnsProps) {
    super(scope, id);
    this.region = props.region;
    this.zone = props.zone;
    this.hostName = apiHostName(props.zone.zoneName);
    this.certificate = new Certificate(this, 'Certificate', {
      domainName: this.hostName,
      validation: CertificateValidation.fromDns(this.zone),
    });
  }

  /** Serves the REST API at `api.<zone>` too (startup and growing): a regional custom domain, TLS 1.2. */
  aliasRestApi(restApi: RestApi): void {
    const domain = restApi.addDomainName('ApiDomain', {
      domainName: this.hostName,
      certificate: this.certificate,
      endpointType: EndpointType.REGIONAL,
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
    this.latencyRecord(domain.domainNameAliasDomainName);
  }

  /**
   * The same for a load balancer known only by its DNS name (the one the Kubernetes controller
   * made, enterprise), health-checked.
   */
  routeToHost(hostName: string): HealthCheck {
    const healthCheck = this.healthCheck(hostName);
    this.latencyRecord(hostName, healthCheck);
    return healthCheck;
  }

  /** Health-checks the load balancer and adds this region's latency record for the API name. */
  route(loadBalancer: ApplicationLoadBalancer): HealthCheck {
    return this.routeToHost(loadBalancer.loadBalancerDnsName);
  }

  private latencyRecord(target: string, healthCheck?: HealthCheck): void {
    new CnameRecord(this, 'LatencyRecord', {
      zone: this.zone,
      recordName: this.hostName,
      domainName: target,
      ttl: Duration.seconds(60),
      region: this.region,
      setIdentifier: `api-${this.region}`,
      ...(healthCheck ? { healthCheck } : {}),
    });
  }

  private healthCheck(fqdn: string): HealthCheck {
    return new HealthCheck(this, 'HealthCheck', {
      type: HealthCheckType.HTTPS,
      fqdn,
      port: 443,
      resourcePath: '/api/health',
      requestInterval: Duration.seconds(30),
      failureThreshold: 3,
    });
  }
}
