import { CfnOutput, Fn, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { HostedZone, type IHostedZone, PublicHostedZone } from 'aws-cdk-lib/aws-route53';
import { SynthesisError } from '../errors.js';
import type { InfraConfig } from '../infra-config.js';

/**
 * The configured zone, looked up by its id (nothing is created), or created by the primary
 * region's stack, which prints the name servers the domain's registrar must list; the other
 * regions use the primary's through a cross-region reference.
 */
export function hostedZoneOf(
  stack: Stack,
  config: InfraConfig,
  primary: boolean,
  primaryZone: IHostedZone | undefined,
): IHostedZone | undefined {
  const wanted = config.hostedZone;
  if (!wanted) return undefined;
  if (wanted.hostedZoneId)
    return HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
      zoneName: wanted.zoneName,
      hostedZoneId: wanted.hostedZoneId,
    });
  if (!primary) {
    if (!primaryZone)
      throw new SynthesisError('a secondary region uses the zone the primary region creates', {
        setting: 'hostedZone',
      });
    return primaryZone;
  }
  const created = new PublicHostedZone(stack, 'Zone', {
    zoneName: wanted.zoneName,
    comment: `${config.appName} storefront`,
  });
  // The registrar keeps pointing at this zone's name servers: deleting the stack must not
  // take the domain's DNS with it.
  created.applyRemovalPolicy(RemovalPolicy.RETAIN);
  // Nothing under the zone resolves until the registrar delegates to it, the certificates'
  // DNS validation included: the first deploy waits on them until then.
  new CfnOutput(stack, 'NameServers', {
    description: `List these at the registrar of ${wanted.zoneName}`,
    value: Fn.join(', ', created.hostedZoneNameServers ?? []),
  });
  return created;
}
