import { readFileSync } from 'node:fs';
import {
  type Command,
  integerFlag,
  pricedRegionFlag,
  stringFlag,
  UsageError,
  WHAT_IF_HELP,
} from '../command.js';
import { readJsonFlag } from './plan.js';

/** Reads the metrics text from a running app or a saved scrape. */
async function metricsText(url: string | undefined, file: string | undefined): Promise<string> {
  if (file) {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      throw new UsageError(`--metrics ${file}: cannot be read`);
    }
  }
  let target: URL;
  try {
    target = new URL(url ?? 'http://127.0.0.1:3000');
  } catch {
    throw new UsageError(`--url must be an http(s) URL, got '${url}'`);
  }
  if (!target.pathname.endsWith('/metrics'))
    target.pathname = `${target.pathname.replace(/\/$/, '')}/metrics`;
  let response: Response;
  try {
    response = await fetch(target, { signal: AbortSignal.timeout(10_000) });
  } catch {
    throw new UsageError(`--url ${target.href}: nothing answered (is the app running?)`);
  }
  if (!response.ok) throw new UsageError(`--url ${target.href}: answered ${response.status}`);
  return response.text();
}

/** `growstack advise`: whether the running stage still fits its traffic, and what the change costs. */
export const adviseCommand: Command = {
  name: 'advise',
  summary: "Read the running app's metrics and say whether it is time for another stage, and why",
  usage:
    'growstack advise [--url URL | --metrics FILE] [--users N] [--profile FILE] [--set KEY=VALUE]... [--region R] [--json]',
  help: [
    'Options:',
    '  --url URL        the running app (default http://127.0.0.1:3000); /metrics is read',
    '  --metrics FILE   a saved scrape of /metrics instead',
    '  --users N        monthly active users; otherwise estimated (as a range) from the request rate and',
    '                   the profile, once the scrape holds at least 500 requests over at least 60 minutes',
    '  --profile FILE   the usage profile of growstack plan (defaults otherwise)',
    ...WHAT_IF_HELP,
    '  --region R       us-east-1 (default) or eu-west-1: whose prices to use',
    '  --json           {stage, measured, evidence, users, usersRange, verdict, recommendedStage, findings[],',
    '                   cost, summary}; verdict is stay | move-up | move-down | not-enough-data',
    '',
    'Rules: users above the stage’s band (up), under half its lower bound (down), p99 latency over',
    '1 s (up), 5xx over 1 %, cache hit ratio under 50 %, dead letters, queue backlog (fix).',
  ].join('\n'),
  options: {
    url: { type: 'string' },
    metrics: { type: 'string' },
    users: { type: 'string' },
    profile: { type: 'string' },
    region: { type: 'string' },
    json: { type: 'boolean' },
    set: { type: 'string', multiple: true },
  },
  async run(values, _positionals, io) {
    const url = stringFlag(values, 'url');
    const file = stringFlag(values, 'metrics');
    if (url && file) throw new UsageError('give --url or --metrics, not both');
    const users = integerFlag(values, 'users');
    if (users === 0) throw new UsageError('--users must be at least 1');
    const region = pricedRegionFlag(values);
    const profileFile = stringFlag(values, 'profile');
    const { parseProfile } = await import('../../cost/plan/profile.js');
    const { readWhatIf } = await import('./what-if.js');
    const whatIf = readWhatIf(values);
    const fromFile = profileFile ? readJsonFlag('profile', profileFile) : {};
    const profile = parseProfile({ ...(fromFile as object), ...whatIf.profile }, users);
    const text = await metricsText(url, file);
    const { advise } = await import('../../cost/advise/advise.js');
    const { formatAdvice } = await import('../../cost/advise/format-advice.js');
    const { inventoriesOf } = await import('../../cost/plan/inventories.js');
    const { STAGES } = await import('../../contracts/stages.js');
    const { planTemplateSource } = await import('../../infra/plan-templates.js');
    const inventories = await inventoriesOf(STAGES, {
      templatesOf: planTemplateSource(process.cwd(), whatIf.settings),
      region,
      onSynth: (stage) => io.err(`synthesizing ${stage} to price it (once; cached in .growstack/plan)…`),
    });
    const { preferLocalPrices } = await import('./prices.js');
    await preferLocalPrices();
    const advice = advise({
      metricsText: text,
      profile,
      region,
      inventories,
      ...(users === undefined ? {} : { usersFlag: users }),
    });
    io.out(values.json ? JSON.stringify(advice, null, 2) : formatAdvice(advice));
    return 0;
  },
};
