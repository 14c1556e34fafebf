import { isStage, STAGES } from '../../contracts/stages.js';
import type { LocalStack } from '../../entry/local-supervisor.js';
import { type Config, type ConfigInput, loadConfig } from '../../platform/config.js';
import { type Command, integerFlag, stringFlag, UsageError } from '../command.js';

/** `growstack dev`: the whole application on this machine (what `npm start` runs). */
export const devCommand: Command = {
  name: 'dev',
  summary: 'Run the storefront locally on embedded AWS stand-ins (what npm start runs)',
  usage: 'growstack dev [--stage S] [--port N]',
  help: [
    'Options:',
    `  --stage S   ${STAGES.join(' | ')} (default: startup, or GROWSTACK_STAGE)`,
    '  --port N    HTTP port (default: 3000, or PORT; 0 picks a free one)',
    '',
    'Starts DynamoDB Local (needs Java 17+), creates the table, seeds a demo catalog on first run,',
    'and serves the web UI at / and the API at /api. Data stays under .growstack/ (GROWSTACK_DATA_DIR),',
    'which one instance at a time may hold: a second start there is refused, naming the first.',
    'Ctrl-C or SIGTERM stops everything it started; a stand-in that dies is restarted.',
  ].join('\n'),
  options: { stage: { type: 'string' }, port: { type: 'string' } },
  async run(values, _positionals, io) {
    const stage = stringFlag(values, 'stage');
    if (stage !== undefined && !isStage(stage))
      throw new UsageError(`--stage must be one of ${STAGES.join(', ')}, got '${stage}'`);
    const config = loadConfig(
      process.env,
      { stage: stage as ConfigInput['stage'], port: integerFlag(values, 'port'), local: true },
      { stage: '--stage', port: '--port' },
    );
    // Listening from the first moment: a Ctrl-C or a SIGTERM while Java starts must still stop
    // every child, not leave it serving after this process is gone. SIGHUP: the terminal closed.
    const stopping = new AbortController();
    let repeated = false;
    const onSignal = (signal: NodeJS.Signals | 'parent-gone') => {
      if (!stopping.signal.aborted) stopping.abort(new StoppedError(signal));
      else if (!repeated && signal !== 'parent-gone') {
        repeated = true;
        io.out(`${signal} again: still stopping, waiting for the stand-ins to exit…`);
      }
    };
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
    // `npm start` runs this through sh; a SIGTERM to npm can end npm and sh without reaching this
    // process. Whoever started it being gone is the same request: stop.
    const parent = process.ppid;
    const orphaned = setInterval(() => {
      if (process.ppid !== parent) onSignal('parent-gone');
    }, 500);
    orphaned.unref();
    try {
      const { startLocalStack } = await import('../../entry/local-supervisor.js');
      let stack: Awaited<ReturnType<typeof startLocalStack>>;
      try {
        stack = await startLocalStack(config, (message) => io.out(`• ${message}`), {
          signal: stopping.signal,
        });
      } catch (error) {
        if (error instanceof StoppedError) {
          io.err(`growstack dev: ${error.message} during start-up; nothing left running`);
          return error.signal === 'SIGINT' ? 130 : 143;
        }
        throw error;
      }
      io.out(banner(config, stack));
      if (!stopping.signal.aborted)
        await new Promise((resolve) => stopping.signal.addEventListener('abort', resolve, { once: true }));
      io.out('stopping…');
      await stack.stop();
      return 0;
    } finally {
      clearInterval(orphaned);
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    }
  },
};

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** A signal, or the end of the process that started this one, asked it to stop. */
class StoppedError extends Error {
  constructor(readonly signal: NodeJS.Signals | 'parent-gone') {
    super(signal === 'parent-gone' ? 'stopped: the process that started it is gone' : `stopped by ${signal}`);
  }
}

function banner(config: Config, stack: LocalStack): string {
  const width = Math.max(...stack.state.map((entry) => entry.what.length));
  return [
    '',
    `Growstack (${config.stage}) is running.`,
    `  web UI     ${stack.url}/`,
    `  ops        ${stack.url}/ops          (the ops console: stage, metrics, cost of each stage at this traffic)`,
    `  API        ${stack.url}/api`,
    `  API docs   ${stack.url}/api/docs`,
    `  health     ${stack.url}/api/health   (live: /api/health/live)`,
    `  metrics    ${stack.url}/metrics`,
    `  sent mail  ${stack.url}/api/dev/mail`,
    `  admin      ${stack.admin.email} / ${stack.admin.password}`,
    '',
    `State of this stage in ${config.dataDir}:`,
    ...stack.state.map((entry) => `  ${entry.what.padEnd(width)}  ${entry.where.padEnd(15)} ${entry.kept}`),
    '',
    `Moving stage (npm start -- --stage ${nextStage(config.stage)}) on this folder keeps the table: products,`,
    'accounts and orders carry over. Sessions belong to a stage (table, Redis, user pool): people',
    'sign in again after a move. README.md, "Moving between stages", says what each move changes.',
    '',
    'Press Ctrl-C to stop.',
  ].join('\n');
}

function nextStage(stage: string): string {
  const index = STAGES.indexOf(stage as (typeof STAGES)[number]);
  return STAGES[Math.min(index + 1, STAGES.length - 1)] ?? 'growing';
}
