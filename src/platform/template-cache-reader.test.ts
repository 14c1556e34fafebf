import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { templateCacheReader } from './template-cache-reader.js';

const stack = (region: string, type: string) => ({
  stackName: `Growstack-${region}`,
  region,
  template: { Resources: { Thing: { Type: type } } },
});

describe('the template cache, read without synthesizing', () => {
  let root: string;
  let cacheDir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'growstack-cache-reader-'));
    cacheDir = join(root, '.growstack', 'plan');
    mkdirSync(join(root, 'src', 'infra'), { recursive: true });
    writeFileSync(join(root, 'src', 'infra', 'app.ts'), '');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(root, 'src', 'infra', 'app.ts'), past, past);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('says nothing is cached when the folder or the stage’s file is missing', () => {
    const read = templateCacheReader(cacheDir, root);
    expect(read('startup')).toBeUndefined();
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, 'growing-0123456789abcdef.json'), JSON.stringify([stack('us-east-1', 'A')]));
    expect(read('startup')).toBeUndefined();
    expect(read('growing')?.templates).toEqual([
      { region: 'us-east-1', Resources: { Thing: { Type: 'A' } } },
    ]);
  });

  it('reads the newest file of a stage, and marks it stale once the infrastructure code changes', () => {
    mkdirSync(cacheDir, { recursive: true });
    const older = join(cacheDir, 'startup-00000000000000aa.json');
    writeFileSync(older, JSON.stringify([stack('eu-west-1', 'Old')]));
    const long = new Date(Date.now() - 120_000);
    utimesSync(older, long, long);
    writeFileSync(
      join(cacheDir, 'startup-00000000000000bb.json'),
      JSON.stringify([stack('us-east-1', 'New')]),
    );
    const read = templateCacheReader(cacheDir, root);
    const cached = read('startup');
    expect(cached?.templates[0]?.region).toBe('us-east-1');
    expect(cached?.stale).toBe(false);
    expect(Date.parse(cached?.synthesizedAt ?? '')).toBeGreaterThan(Date.now() - 10_000);
    writeFileSync(join(root, 'src', 'infra', 'app.ts'), '// changed');
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'src', 'infra', 'app.ts'), future, future);
    expect(read('startup')?.stale).toBe(true);
  });

  it('treats a half-written file as absent and ignores files that are not a stage’s', () => {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, 'startup-0123456789abcdef.json'), '[{"stackName":');
    writeFileSync(join(cacheDir, 'startup-notes.json'), '[]');
    expect(templateCacheReader(cacheDir, root)('startup')).toBeUndefined();
  });
});
