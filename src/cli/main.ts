import { parseArgs } from 'node:util';
import { ConfigError } from '../contracts/errors.js';
import { type CliIo, type Command, UsageError } from './command.js';
import { COMMANDS } from './commands.js';

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'Usage: growstack <command> [options]',
    '',
    'Runs the Growstack storefront locally and plans its AWS stages.',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    "Run 'growstack <command> --help' for a command's options.",
  ].join('\n');
}

function commandHelp(command: Command): string {
  return [`Usage: ${command.usage}`, '', command.summary, '', command.help].join('\n').trimEnd();
}

/** Runs the CLI and returns the exit code: 0 ok, 1 failure, 2 usage error. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    io.err(`growstack: unknown command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({
      args: joinNegativeValues(rest, command),
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
    if (values.help) {
      io.out(commandHelp(command));
      return 0;
    }
    return await command.run(values, positionals, io);
  } catch (error) {
    return reportError(error, command, io);
  }
}

function reportError(error: unknown, command: Command, io: CliIo): number {
  const prefix = `growstack ${command.name}:`;
  if (error instanceof UsageError || error instanceof ConfigError || isParseArgsError(error)) {
    io.err(`${prefix} ${firstLine(error)}`);
    return 2;
  }
  // Everything else (a synthesis, cost-model or app error, or a crash) is one line and exit 1.
  io.err(`${prefix} ${firstLine(error)}`);
  return 1;
}

/**
 * `--users -5` reads to parseArgs as a flag followed by another option, which it calls ambiguous;
 * joined as `--users=-5`, the command's own check names the flag and says what it accepts.
 */
function joinNegativeValues(args: readonly string[], command: Command): string[] {
  const joined: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    const next = args[index + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name && command.options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      index++;
    } else joined.push(arg);
  }
  return joined;
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
