import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capture } from '../../test/support/cli.js';
import { main } from './main.js';

describe('growstack CLI', () => {
  it('lists the commands with --help', async () => {
    const { io, out } = capture();
    expect(await main(['--help'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/Commands:[\s\S]*dev/);
  });

  it('shows a command’s help', async () => {
    const { io, out } = capture();
    expect(await main(['dev', '--help'], io)).toBe(0);
    expect(out.join('\n')).toContain('Usage: growstack dev');
  });

  it.each([
    [['launch'], /unknown command 'launch'/],
    [['dev', '--colour'], /Unknown option '--colour'/],
    [['dev', '--stage', 'huge'], /--stage must be one of startup, growing, scaling, enterprise, got 'huge'/],
    [['dev', '--port', '70000'], /^growstack dev: port \(--port\): Too big/],
    [['dev', '--port', 'eighty'], /--port must be a non-negative whole number/],
    [['synth'], /--stage is required/],
    [['backup'], /--out FILE is required/],
    [['restore', '--force'], /--in FILE is required/],
    [['synth', '--stage', 'huge', '--out', '/nonexistent/never'], /--stage must be one of startup, growing/],
    [
      ['synth', '--stage', 'enterprise', '--out', '/nonexistent/never'],
      /hostedZone: required at stage 'enterprise'/,
    ],
    [
      ['synth', '--stage', 'startup', '--region', 'mars', '--out', '/nonexistent/never'],
      /primaryRegion: must look like us-east-1/,
    ],
  ])('exits 2 with one line for %j', async (argv, message) => {
    const { io, err } = capture();
    expect(await main(argv, io)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });
});

describe('growstack CLI messages a newcomer meets', () => {
  it('names --users when it is given a negative number', async () => {
    const { io, err } = capture();
    expect(await main(['plan', '--users', '-5'], io)).toBe(2);
    expect(err).toEqual(["growstack plan: --users must be a non-negative whole number, got '-5'"]);
  });

  it('names --stage, not an environment variable never set, for dev --stage bogus', async () => {
    const { io, err } = capture();
    const saved = process.env.GROWSTACK_STAGE;
    delete process.env.GROWSTACK_STAGE;
    try {
      expect(await main(['dev', '--stage', 'bogus'], io)).toBe(2);
    } finally {
      if (saved !== undefined) process.env.GROWSTACK_STAGE = saved;
    }
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^growstack dev: --stage must be one of startup, growing, scaling, enterprise/);
    expect(err[0]).not.toContain('GROWSTACK_STAGE');
  });

  it('still names GROWSTACK_STAGE when the environment variable is the wrong one', async () => {
    const { io, err } = capture();
    const saved = process.env.GROWSTACK_STAGE;
    process.env.GROWSTACK_STAGE = 'bogus';
    try {
      expect(await main(['dev'], io)).toBe(2);
    } finally {
      if (saved === undefined) delete process.env.GROWSTACK_STAGE;
      else process.env.GROWSTACK_STAGE = saved;
    }
    expect(err[0]).toMatch(/stage \(GROWSTACK_STAGE\)/);
  });

  it('says in one line, before any work, that --html cannot be written', async () => {
    const { io, err, out } = capture();
    expect(await main(['plan', '--stage', 'startup', '--html', '/nonexistent/x.html'], io)).toBe(1);
    expect(err).toEqual([
      "growstack plan: --html /nonexistent/x.html: cannot write there (folder '/nonexistent' does not exist)",
    ]);
    expect(out).toEqual([]);
  });

  it('keeps every service name apart from its fields in price --help', async () => {
    const { io, out } = capture();
    expect(await main(['price', '--help'], io)).toBe(0);
    const help = out.join('\n');
    expect(help).toMatch(/^ {2}secretsmanager +secrets, apiCalls$/m);
    expect(help).not.toMatch(/secretsmanagersecrets/);
    // Generated from the schemas: defaults and descriptions stay with their field.
    expect(help).toMatch(/ephemeralStorageMb \(512\),/);
    expect(help).toMatch(/^ {2}athena +queries\*, gbScannedPerQuery \(at least 10 MB is billed\)$/m);
  });
});

describe('the usage files README points to', () => {
  it.each(['examples/usage/lambda.json', 'examples/usage/dynamodb.json'])(
    'prices %s with growstack price --usage',
    async (file) => {
      const { io, out, err } = capture();
      expect(await main(['price', '--usage', file], io)).toBe(0);
      expect(err).toEqual([]);
      expect(out[0]).toMatch(/^(lambda|dynamodb) in us-east-1: \$\d+\.\d{2} a month$/);
    },
  );

  it('are named in README', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('growstack price --usage examples/usage/lambda.json');
  });
});
