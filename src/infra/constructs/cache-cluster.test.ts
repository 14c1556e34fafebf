import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { CACHE_PORT, CacheCluster } from './cache-cluster.js';

let template: Template;
let stack: Stack;
let cache: CacheCluster;
let ids: { cache: string; api: string; secret: string; isolated: unknown[] };

// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  stack = new Stack(undefined, 'Cache', { env: { account: '123456789012', region: 'eu-west-1' } });
  const vpc = new Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'public', subnetType: SubnetType.PUBLIC },
      { name: 'data', subnetType: SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const api = new SecurityGroup(stack, 'Api', { vpc });
  cache = new CacheCluster(stack, 'Cache', { vpc, nodeType: 'cache.t4g.small' });
  cache.allowFrom(api);
  const id = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as never);
  ids = {
    cache: id(cache.securityGroup),
    api: id(api),
    secret: id(cache.authToken),
    isolated: stack.resolve(vpc.isolatedSubnets.map((subnet) => subnet.subnetId)),
  };
  template = Template.fromStack(stack);
}, 120_000);

describe('the cache cluster', () => {
  it('is a Valkey primary and replica in two zones with automatic failover, on a port other than 6379', () => {
    expect(CACHE_PORT).not.toBe(6379);
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'valkey',
      CacheNodeType: 'cache.t4g.small',
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      Port: CACHE_PORT,
      SecurityGroupIds: [{ 'Fn::GetAtt': [ids.cache, 'GroupId'] }],
    });
  });

  it('encrypts in transit and at rest, with an AUTH token from Secrets Manager', () => {
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      AuthToken: {
        'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: ids.secret }, ':SecretString:token::}}']],
      },
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ GenerateStringKey: 'token', PasswordLength: 64 }),
    });
    const [secret] = Object.values(template.findResources('AWS::SecretsManager::Secret'));
    // ElastiCache refuses a token with any of @ " / in it.
    for (const character of ['@', '"', '/'])
      expect(secret?.Properties.GenerateSecretString.ExcludeCharacters).toContain(character);
  });

  it('lives in the isolated subnets only', () => {
    template.hasResourceProperties('AWS::ElastiCache::SubnetGroup', { SubnetIds: ids.isolated });
  });

  it("admits the API tasks' group on the cache port, and nothing else in or out", () => {
    const group = template.toJSON().Resources[ids.cache].Properties;
    expect(group.SecurityGroupIngress).toEqual([
      {
        Description: 'API tasks',
        IpProtocol: 'tcp',
        FromPort: CACHE_PORT,
        ToPort: CACHE_PORT,
        SourceSecurityGroupId: { 'Fn::GetAtt': [ids.api, 'GroupId'] },
      },
    ]);
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    expect(group.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32' })]);
  });

  it('gives the app a TLS URL to the primary endpoint', () => {
    expect(JSON.stringify(stack.resolve(cache.url))).toMatch(
      new RegExp(`"rediss://",\\{"Fn::GetAtt":\\["\\w+","PrimaryEndPoint.Address"\\]\\},":${CACHE_PORT}"`),
    );
  });
});
