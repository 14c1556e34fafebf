import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertReplaceable } from '../../infra/synthesize.js';
import { main } from '../main.js';

describe('growstack synth, given bad input', () => {
  let scratch: string;
  let out: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'growstack-synth-'));
    out = join(scratch, 'assembly');
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  async function run(argv: string[]) {
    const err: string[] = [];
    const stdout: string[] = [];
    const code = await main(argv, { out: (text) => stdout.push(text), err: (text) => err.push(text) });
    return { code, err, stdout };
  }

  it.each([
    [['--stage', 'huge'], /--stage must be one of startup, growing, scaling, enterprise, got 'huge'/],
    [['--stage', 'scaling'], /hostedZone: required at stage 'scaling'/],
    [['--stage', 'enterprise'], /hostedZone: required at stage 'enterprise'/],
    [['--stage', 'startup', '--region', 'mars'], /--region primaryRegion: must look like us-east-1/],
    [['--stage', 'startup', '--account', 'abc'], /--account account: must be a 12-digit AWS account id/],
    [['--stage', 'growing', '--alarm-email', 'ops'], /--alarm-email alarmEmail: Invalid email/],
    [['--stage', 'startup', '--colour'], /Unknown option '--colour'/],
    [
      ['--stage', 'startup', '--compliance', 'sox', '--report', 'r.md'],
      /--compliance must list packs from nist, hipaa, pci, got 'sox'/,
    ],
    [['--stage', 'startup', '--compliance', 'hipaa'], /--compliance needs --report FILE/],
  ])('exits 2 with one line naming the field for %j, and writes nothing', async (argv, message) => {
    const { code, err, stdout } = await run(['synth', ...argv, '--out', out]);
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
    expect(stdout).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses to empty an --out folder that is not a cloud assembly', async () => {
    writeFileSync(join(scratch, 'notes.txt'), 'keep me');
    const { code, err } = await run(['synth', '--stage', 'startup', '--out', scratch]);
    expect(code).toBe(2);
    expect(err[0]).toMatch(/out: .* not a cloud assembly/);
    expect(readdirSync(scratch)).toEqual(['notes.txt']);
  });

  it('accepts an --out folder of earlier assemblies, one per stage, as CI writes them', () => {
    for (const stage of ['startup', 'growing']) {
      mkdirSync(join(scratch, stage));
      writeFileSync(join(scratch, stage, 'cdk.out'), '{"version":"55.0.0"}');
    }
    expect(() => assertReplaceable(scratch)).not.toThrow();
    writeFileSync(join(scratch, 'notes.txt'), 'keep me');
    expect(() => assertReplaceable(scratch)).toThrow(/not a cloud assembly/);
  });

  it('refuses an --out that is a file', async () => {
    const file = join(scratch, 'file');
    writeFileSync(file, '');
    const { code, err } = await run(['synth', '--stage', 'startup', '--out', file]);
    expect(code).toBe(2);
    expect(err[0]).toMatch(/is a file/);
  });
});

describe('growstack synth', () => {
  it('writes the stage map, as SVG and Mermaid, into the cloud assembly', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'growstack-synth-map-'));
    const out = join(scratch, 'cdk.out');
    try {
      const stdout: string[] = [];
      const code = await main(['synth', '--stage', 'startup', '--out', out], {
        out: (text) => stdout.push(text),
        err: () => {},
      });
      expect(code).toBe(0);
      expect(stdout.join('\n')).toContain(`stage map: ${join(out, 'stage-map.svg')}`);
      const svg = readFileSync(join(out, 'stage-map.svg'), 'utf8');
      expect(svg).toMatch(
        /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* aria-label="Stage map: startup"/,
      );
      expect(svg).toContain('data-box="data.dynamodb"');
      expect(svg).toContain('data-box="api.lambda-api"');
      const mermaid = readFileSync(join(out, 'stage-map.mmd'), 'utf8');
      expect(mermaid).toMatch(/^flowchart LR\n/);
      expect(mermaid).toContain('us_east_1_edge_cloudfront["CloudFront"]');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 180_000);
});
