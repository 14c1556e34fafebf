import { describe, expect, it } from 'vitest';
import { formatSynthSummary } from './synth-summary.js';
import type { SynthSummary } from './synthesize.js';

const summary = (webUi: SynthSummary['webUi']): SynthSummary => ({
  stage: 'startup',
  outdir: 'cdk.out',
  stacks: [{ name: 'Growstack-us-east-1', region: 'us-east-1', templateFile: 't.json', resources: {} }],
  nag: { unacknowledged: [], acknowledged: [] },
  webUi,
  notes: [],
  seconds: 1,
});

describe('the synth summary', () => {
  it('opens with a warning when the assembly would deploy the placeholder page, saying how to fix it', () => {
    const [first, second] = formatSynthSummary(summary('placeholder')).split('\n');
    expect(first).toMatch(/^WARNING: web\/dist not found: this assembly deploys a placeholder page/);
    expect(second).toMatch(/npm run build/);
  });

  it('says nothing of the kind when the web UI was built', () => {
    expect(formatSynthSummary(summary('built'))).not.toMatch(/WARNING|placeholder/);
  });
});
