import { SecretValue } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '../../contracts/origin-verify-header.js';
import { acknowledge } from '../acknowledge.js';

/** The JSON field of the secret that holds the header's value. */
export const ORIGIN_VERIFY_FIELD = 'value';

/** The origin secret as a region's stack uses it: the value CloudFront sends, and who may read it. */
export interface IOriginVerify {
  readonly secret: ISecret;
  /**
   * The value, as a CloudFormation dynamic reference resolved at deploy time: the template holds
   * `{{resolve:secretsmanager:…}}`, never the secret. It does land in what the resource keeps
   * (the distribution's origin headers, the load balancer rule), readable by whoever may describe them.
   */
  readonly value: string;
  /** The custom header CloudFront adds to origin requests. */
  readonly headers: Record<string, string>;
  /** Lets a container's role read the secret at start-up. */
  grantRead(grantee: IGrantable): void;
}

export interface OriginVerifyProps {
  /** A fixed name: the other regions' stacks find their replica by it. */
  readonly secretName: string;
  /** Regions that get a replica (every region with a load balancer or API that checks the header). */
  readonly replicaRegions: readonly string[];
}

/**
 * The secret CloudFront sends in `x-origin-verify` to the API's origins, which refuse requests
 * without it: the proof that a request came through the distribution and its WAF. Created in
 * the primary region (where the distribution's stack is) and replicated by Secrets Manager to
 * the other regions, where each stack reads it by name; the other stacks deploy after the primary.
 * 48 letters and digits: a load balancer rule treats `*` and `?` in a header value as wildcards.
 *
 * Rotating it: put a new value in the secret, then deploy the primary stack (CloudFront sends the
 * new value) and the other stacks (their load balancers check it); requests between the two
 * deploys are refused, so rotate in a quiet hour.
 */
export class OriginVerify extends Construct implements IOriginVerify {
  /** The secret of another region's stack, found by name (its replica in this region). */
  static fromName(scope: Construct, id: string, secretName: string): IOriginVerify {
    return new ImportedOriginVerify(Secret.fromSecretNameV2(scope, id, secretName), secretName);
  }

  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: OriginVerifyProps) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      secretName: props.secretName,
      description: `The ${ORIGIN_VERIFY_HEADER} header CloudFront sends to the storefront API`,
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: ORIGIN_VERIFY_FIELD,
        excludePunctuation: true,
        includeSpace: false,
        passwordLength: 48,
      },
      replicaRegions: props.replicaRegions.map((region) => ({ region })),
    });
    acknowledge(this.secret, {
      'AwsSolutions-SMG4':
        'CloudFront and the load balancers take the value at deploy time (dynamic references), so a rotation Lambda could not reach them: rotation is a new value and a deploy of every stack, as docs/deploy.md describes.',
    });
  }

  get value(): string {
    return this.secret.secretValueFromJson(ORIGIN_VERIFY_FIELD).unsafeUnwrap();
  }

  get headers(): Record<string, string> {
    return { [ORIGIN_VERIFY_HEADER]: this.value };
  }

  grantRead(grantee: IGrantable): void {
    this.secret.grantRead(grantee);
  }
}

class ImportedOriginVerify implements IOriginVerify {
  constructor(
    readonly secret: ISecret,
    private readonly secretName: string,
  ) {}

  /** By name, which finds the region's replica (the imported secret's ARN lacks its suffix). */
  get value(): string {
    return SecretValue.secretsManager(this.secretName, { jsonField: ORIGIN_VERIFY_FIELD }).unsafeUnwrap();
  }

  get headers(): Record<string, string> {
    return { [ORIGIN_VERIFY_HEADER]: this.value };
  }

  grantRead(grantee: IGrantable): void {
    this.secret.grantRead(grantee);
  }
}
