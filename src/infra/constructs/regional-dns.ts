import { Duration } from 'aws-cdk-lib';
import { EndpointType, type RestApi, SecurityPolicy } from 'aws-cdk-lib/aws-apigateway';
import { Certificate, CertificateValidation } from 'aws-cdk-lib/aws-certificatemanager';
import type { ApplicationLoadBalancer } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import {
  ARecord,
  CnameRecord,
  HealthCheck,
  HealthCheckType,
  type IHostedZone,
  RecordTarget,
} from 'aws-cdk-lib/aws-route53';
import { ApiGatewayDomain, LoadBalancerTarget } from 'aws-cdk-lib/aws-route53-targets';
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
 * the zone), a Route 53 health check on the region's `/api/health`, and a latency record that
 * sends clients to the nearest region whose health check passes; when one region fails its
 * check, its record drops out and every client goes to the other.
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
    new ARecord(this, 'ApiRecord', {
      zone: this.zone,
      recordName: this.hostName,
      target: RecordTarget.fromAlias(new ApiGatewayDomain(domain)),
    });
  }

  /**
   * The same for a load balancer known only by its DNS name (the one the Kubernetes controller
   * made, enterprise): a latency CNAME, health-checked, instead of an alias.
   */
  routeToHost(hostName: string): HealthCheck {
    const healthCheck = this.healthCheck(hostName);
    new CnameRecord(this, 'LatencyRecord', {
      zone: this.zone,
      recordName: this.hostName,
      domainName: hostName,
      ttl: Duration.seconds(60),
      region: this.region,
      setIdentifier: `api-${this.region}`,
      healthCheck,
    });
    return healthCheck;
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

  /** Health-checks the load balancer and adds this region's latency record for the API name. */
  route(loadBalancer: ApplicationLoadBalancer): HealthCheck {
    const healthCheck = this.healthCheck(loadBalancer.loadBalancerDnsName);
    new ARecord(this, 'LatencyRecord', {
      zone: this.zone,
      recordName: this.hostName,
      target: RecordTarget.fromAlias(new LoadBalancerTarget(loadBalancer)),
      region: this.region,
      setIdentifier: `api-${this.region}`,
      healthCheck,
    });
    return healthCheck;
  }
}
