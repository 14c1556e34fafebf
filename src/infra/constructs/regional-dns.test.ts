import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MockIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { HostedZone } from 'aws-cdk-lib/aws-route53';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiHostName, RegionalDns } from './regional-dns.js';

const ZONE = { zoneName: 'shop.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' };
const BALANCER = 'k8s-api-0123456789.eu-west-1.elb.amazonaws.com';
let template: Template;
let healthCheckId: string;
let restApiTemplate: Template;

// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  const stack = new Stack(undefined, 'Dns', { env: { account: '123456789012', region: 'eu-west-1' } });
  const dns = new RegionalDns(stack, 'Dns', {
    zone: HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE),
    region: 'eu-west-1',
  });
  const healthCheck = dns.routeToHost(BALANCER);
  healthCheckId = stack.getLogicalId(healthCheck.node.defaultChild as never);
  template = Template.fromStack(stack);

  const startup = new Stack(undefined, 'Startup', { env: { account: '123456789012', region: 'eu-west-1' } });
  const restApi = new RestApi(startup, 'RestApi');
  restApi.root.addMethod('GET', new MockIntegration());
  new RegionalDns(startup, 'Dns', {
    zone: HostedZone.fromHostedZoneAttributes(startup, 'Zone', ZONE),
    region: 'eu-west-1',
  }).aliasRestApi(restApi);
  restApiTemplate = Template.fromStack(startup);
}, 120_000);

describe("the region's part of the API name", () => {
  it('certifies api.<zone>, validated by DNS in the zone', () => {
    expect(apiHostName('shop.example.com')).toBe('api.shop.example.com');
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.shop.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'api.shop.example.com', HostedZoneId: ZONE.hostedZoneId }],
    });
  });

  it("health-checks the load balancer's /api/health over HTTPS every 30 s, failing after 3 misses", () => {
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({
        Type: 'HTTPS',
        FullyQualifiedDomainName: BALANCER,
        Port: 443,
        ResourcePath: '/api/health',
        RequestInterval: 30,
        FailureThreshold: 3,
      }),
    });
  });

  it('answers api.<zone> with a latency CNAME for this region that drops out when its check fails', () => {
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: ZONE.hostedZoneId,
      Name: 'api.shop.example.com.',
      Type: 'CNAME',
      TTL: '60',
      ResourceRecords: [BALANCER],
      Region: 'eu-west-1',
      SetIdentifier: 'api-eu-west-1',
      HealthCheckId: { Ref: healthCheckId },
    });
  });

  it('serves the REST API at api.<zone> over TLS 1.2 with the same latency record, with no health check', () => {
    restApiTemplate.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'api.shop.example.com',
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
    });
    const [record] = Object.values(restApiTemplate.findResources('AWS::Route53::RecordSet')).map(
      (resource) => resource.Properties,
    );
    expect(record).toMatchObject({
      Name: 'api.shop.example.com.',
      Type: 'CNAME',
      Region: 'eu-west-1',
      SetIdentifier: 'api-eu-west-1',
      ResourceRecords: [{ 'Fn::GetAtt': [expect.any(String), 'RegionalDomainName'] }],
    });
    expect(record?.HealthCheckId).toBeUndefined();
    restApiTemplate.resourceCountIs('AWS::Route53::HealthCheck', 0);
  });
});
