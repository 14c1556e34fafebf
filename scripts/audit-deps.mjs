#!/usr/bin/env node
// Supply-chain gate: fails on any high or critical advisory against the production dependencies.
// The advisory database lives at the registry; when it cannot be reached (an offline mirror, a
// proxy that only allows GET), the gate says so in one line and does not pretend to have passed.
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', shell: false });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error(`npm audit gave no report: ${(run.stderr || run.stdout).trim().split('\n')[0]}`);
  process.exit(1);
}
if (!report.metadata) {
  const reason = report.message ?? report.error?.summary ?? 'unknown error';
  console.warn(`dependency audit NOT RUN: the advisory endpoint is unreachable (${reason})`);
  process.exit(process.env.AUDIT_REQUIRED === '1' ? 1 : 0);
}
const { high = 0, critical = 0, moderate = 0, low = 0 } = report.metadata.vulnerabilities ?? {};
const serious = Object.entries(report.vulnerabilities ?? {}).filter(([, entry]) =>
  ['high', 'critical'].includes(entry.severity),
);
for (const [name, entry] of serious) console.error(`${entry.severity}: ${name} (${entry.range})`);
console.log(
  `dependency audit: ${critical} critical, ${high} high, ${moderate} moderate, ${low} low in production dependencies`,
);
process.exit(high + critical > 0 ? 1 : 0);
