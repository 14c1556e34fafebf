import { describe, expect, it } from 'vitest';
import { capture } from '../../../test/support/cli.js';
import { main } from '../main.js';

describe('growstack migrate, given bad input', () => {
  it.each([
    [[], /--from is required/],
    [['--from', 'startup'], /--to is required/],
    [
      ['--from', 'tiny', '--to', 'growing'],
      /--from must be one of startup, growing, scaling, enterprise, got 'tiny'/,
    ],
    [['--from', 'growing', '--to', 'growing'], /--from and --to are both 'growing': nothing to move/],
    // The repository's own settings name no hosted zone, which scaling requires.
    [['--from', 'growing', '--to', 'scaling'], /hostedZone: required at stage 'scaling'/],
    [['--from', 'startup', '--to', 'growing', '--dry'], /Unknown option '--dry'/],
  ])('exits 2 with one line for %j', async (argv, message) => {
    const { io, out, err } = capture();
    expect(await main(['migrate', ...argv], io)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
    expect(out).toEqual([]);
  });

  it('explains itself with --help', async () => {
    const { io, out } = capture();
    expect(await main(['migrate', '--help'], io)).toBe(0);
    expect(out.join('\n')).toMatch(
      /Usage: growstack migrate --from A --to B \[--json\][\s\S]*Exit 0 when every step is safe/,
    );
  });
});
