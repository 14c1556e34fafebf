import { money } from './money.js';

/**
 * CloudFront's flat-rate plans (since 18 November 2025): one distribution and its apex domain for
 * a monthly price with no overage charges, bundling the distribution's requests and transfer out,
 * one AWS WAF web ACL, DDoS protection, Route 53 DNS, CloudWatch Logs ingestion of its standard
 * and WAF logs, CloudFront Functions and S3 storage credits, within each plan's allowances.
 * Lambda@Edge and Shield Advanced are not available on them.
 * https://aws.amazon.com/cloudfront/pricing/ and the developer guide's "CloudFront flat-rate
 * pricing plans".
 */
export const FLAT_RATE_PLANS = [
  { name: 'Free', usd: 0, requests: 1_000_000, transferGb: 100 },
  { name: 'Pro', usd: 15, requests: 10_000_000, transferGb: 50_000 },
  { name: 'Business', usd: 200, requests: 125_000_000, transferGb: 50_000 },
  { name: 'Premium', usd: 1_000, requests: 500_000_000, transferGb: 50_000 },
] as const;

export interface FlatRateInput {
  /** Requests a month the distribution serves (WAF-blocked ones do not count against a plan). */
  readonly requests: number;
  readonly transferGb: number;
  readonly lambdaEdge: boolean;
  readonly shieldAdvanced: boolean;
  /** What the plan would replace, pay-as-you-go: the distribution's lines and its web ACL's. */
  readonly payAsYouGoUsd: number;
}

export interface FlatRateVerdict {
  readonly plan: (typeof FLAT_RATE_PLANS)[number]['name'] | null;
  /** Plan price minus what it replaces: negative when the plan is cheaper. */
  readonly differenceUsd: number | null;
  readonly note: string;
}

/** The smallest flat-rate plan whose allowances hold the month, and whether it beats pay-as-you-go. */
export function flatRateFor(input: FlatRateInput): FlatRateVerdict {
  const blockers = [
    ...(input.lambdaEdge ? ['Lambda@Edge'] : []),
    ...(input.shieldAdvanced ? ['Shield Advanced'] : []),
  ];
  if (blockers.length > 0) {
    return {
      plan: null,
      differenceUsd: null,
      note: `CloudFront flat-rate plans: none applies, they do not offer ${blockers.join(' or ')}`,
    };
  }
  const plan = FLAT_RATE_PLANS.find(
    (candidate) => input.requests <= candidate.requests && input.transferGb <= candidate.transferGb,
  );
  const usage = `${fmt(input.requests)} requests and ${fmt(input.transferGb)} GB out a month`;
  if (!plan) {
    return {
      plan: null,
      differenceUsd: null,
      note: `CloudFront flat-rate plans: none fits ${usage} (Premium holds ${fmt(500_000_000)} requests and 50 TB)`,
    };
  }
  const difference = plan.usd - input.payAsYouGoUsd;
  const verdict =
    difference < 0
      ? `${money(-difference)} a month cheaper than`
      : difference > 0
        ? `${money(difference)} a month dearer than`
        : 'the same as';
  return {
    plan: plan.name,
    differenceUsd: difference,
    note: `CloudFront flat-rate plans: ${plan.name} (${money(plan.usd)} a month, ${fmt(plan.requests)} requests and ${fmt(plan.transferGb)} GB) holds ${usage}; it is ${verdict} the ${money(input.payAsYouGoUsd)} it would replace (the distribution and its web ACL, pay-as-you-go); a distribution is moved to a plan in the console or through AWS::PricingPlanManager::Subscription, and a plan throttles instead of billing overage`,
  };
}

function fmt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
