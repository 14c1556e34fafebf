import { type ConfigInput, loadConfig } from '../../platform/config.js';
import { isStage, STAGES } from '../../platform/stages.js';
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
    'and serves the web UI at / and the API at /api. Data stays under .growstack/. Ctrl-C stops all.',
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
    const { startLocalStack } = await import('../../platform/runtime/local-supervisor.js');
    const stack = await startLocalStack(config, (message) => io.out(`• ${message}`));
    io.out(
      [
        '',
        `Growstack (${config.stage}) is running.`,
        `  web UI     ${stack.url}/`,
        `  API        ${stack.url}/api`,
        `  API docs   ${stack.url}/api/docs`,
        `  metrics    ${stack.url}/metrics`,
        `  sent mail  ${stack.url}/api/dev/mail`,
        `  admin      ${stack.admin.email} / ${stack.admin.password}`,
        '',
        'Press Ctrl-C to stop.',
      ].join('\n'),
    );
    await new Promise<void>((resolve) => {
      const shutdown = () => resolve();
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
    io.out('stopping…');
    await stack.stop();
    return 0;
  },
};
