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
    [['dev', '--stage', 'huge'], /stage \(GROWSTACK_STAGE\)/],
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
