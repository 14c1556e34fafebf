import type { Advice } from './advise.js';

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const count = (value: number) => Math.round(value).toLocaleString('en-US');

/** The advice for a person: what was measured, the verdict, and each rule with its numbers. */
export function formatAdvice(advice: Advice): string {
  const m = advice.measured;
  const e = advice.evidence;
  const range = advice.usersRange;
  const lines = [
    `Stage ${advice.stage}, measured over ${Math.round(m.uptimeSeconds)} s: ${count(m.requests)} requests (${m.requestsPerSecond.toFixed(2)} req/s), p99 ${m.p99Seconds === null ? 'n/a' : `${m.p99Seconds.toFixed(3)} s`}, 5xx ${m.errorRate5xx === null ? 'n/a' : percent(m.errorRate5xx)}, cache hit ratio ${m.cacheHitRatio === null ? 'n/a' : percent(m.cacheHitRatio)}, queue ${m.queueDepth ?? 'n/a'}, DLQ ${m.dlqDepth ?? 'n/a'}`,
    `Evidence: ${e.window}; the minimum to extrapolate from is ${e.need} (${e.enough ? 'met' : 'not met'})`,
    advice.verdict === 'not-enough-data'
      ? `Users: not estimated from so little traffic; costs below are for the profile's ${count(advice.users)}; pass --users N to say`
      : range
        ? `Users: ${count(range.low)}-${count(range.high)} a month, ${count(advice.users)} in the middle (estimated from the request rate under the usage profile: ${range.basis}; pass --users N to say)`
        : `Users: ${count(advice.users)} a month (from --users)`,
    `Verdict: ${advice.summary}`,
    ...advice.findings.map(
      (finding) =>
        `  [${finding.direction}] ${finding.rule}: ${finding.message} (measured ${finding.measured < 10 ? finding.measured.toFixed(3) : count(finding.measured)}, threshold ${finding.threshold < 10 ? finding.threshold : count(finding.threshold)})`,
    ),
  ];
  return lines.join('\n');
}
