import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/**
 * Dependencies that ship an install script, which `.npmrc` stops from running, and why each works
 * without it. A new one fails the test below until someone reads what its script does.
 */
const BLOCKED_INSTALL_SCRIPTS: Record<string, string> = {
  'node_modules/esbuild':
    'postinstall only checks or links the platform binary; npm installs @esbuild/<platform> as an optional dependency',
  'node_modules/@scarf/scarf': 'install-time usage analytics pulled in by swagger-ui-dist; nothing needs it',
  'node_modules/leveldown':
    "kinesalite's on-disk store; we run kinesalite in memory (memdown), so the native build is never loaded",
};

interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, { hasInstallScript?: boolean; dependencies?: object; devDependencies?: object }>;
}

describe('the supply chain', () => {
  const lock = JSON.parse(read('package-lock.json')) as Lockfile;
  const manifest = JSON.parse(read('package.json')) as { dependencies: object; devDependencies: object };

  it('commits a lockfile that matches package.json', () => {
    const tracked = execFileSync('git', ['ls-files', 'package-lock.json', '.npmrc'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(tracked.split('\n').filter(Boolean).sort()).toEqual(['.npmrc', 'package-lock.json']);
    expect(lock.lockfileVersion).toBe(3);
    expect(lock.packages['']?.dependencies).toEqual(manifest.dependencies);
    expect(lock.packages['']?.devDependencies).toEqual(manifest.devDependencies);
  });

  it('runs no dependency install script, and knows every package that has one', () => {
    expect(read('.npmrc')).toMatch(/^ignore-scripts=true$/m);
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path)
      .sort();
    expect(withScripts).toEqual(Object.keys(BLOCKED_INSTALL_SCRIPTS).sort());
  });

  it('fails CI on high or critical advisories in production dependencies', () => {
    expect(read('.ci/run')).toMatch(/^node scripts\/audit-deps\.mjs$/m);
    expect(read('scripts/audit-deps.mjs')).toContain("'--omit=dev'");
  });
});

/**
 * Actions used by tag rather than by commit, each with the reason; empty today. A new one fails
 * the test below until its pin is added here with the reason (and listed in docs/security.md).
 */
const UNPINNED_ACTIONS: Record<string, string> = {};

interface WorkflowStep {
  uses?: string;
  run?: string;
}

interface WorkflowJob {
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  steps?: WorkflowStep[];
}

interface Workflow {
  on?: { workflow_dispatch?: { inputs?: Record<string, { options?: string[] }> } };
  permissions?: Record<string, string>;
  jobs: Record<string, WorkflowJob>;
}

const workflowFiles = readdirSync(join(ROOT, '.github', 'workflows')).filter((file) => /\.ya?ml$/.test(file));
const workflows = workflowFiles.map((file) => ({
  file,
  text: read(join('.github', 'workflows', file)),
  workflow: parse(read(join('.github', 'workflows', file))) as Workflow,
}));
const steps = workflows.flatMap(({ file, workflow }) =>
  Object.entries(workflow.jobs).flatMap(([job, body]) =>
    (body.steps ?? []).map((step, index) => ({ where: `${file} ${job} step ${index + 1}`, step })),
  ),
);

describe('the CI and deploy workflows', () => {
  it('finds the workflows and their steps', () => {
    expect(workflowFiles.sort()).toEqual(['ci.yml', 'deploy.yml']);
    expect(steps.length).toBeGreaterThan(5);
  });

  it('pins every third-party action by full commit SHA, with the tag in a comment', () => {
    for (const { where, step } of steps) {
      if (!step.uses || step.uses.startsWith('./') || step.uses.startsWith('docker://')) continue;
      const [action, ref] = step.uses.split('@');
      if (action && action in UNPINNED_ACTIONS) continue;
      expect(ref, `${where}: ${step.uses} is not pinned by commit`).toMatch(/^[0-9a-f]{40}$/);
    }
    // The tag each pin stands for, so a reader (and Dependabot) can tell what it is.
    for (const { file, text } of workflows) {
      for (const line of text.split('\n').filter((candidate) => /^\s*(- )?uses: /.test(candidate))) {
        expect(line, `${file}: ${line.trim()}`).toMatch(/@[0-9a-f]{40} # v\d+(\.\d+)*$/);
      }
    }
  });

  it('never splices inputs or event fields into a shell script', () => {
    for (const { where, step } of steps) {
      if (!step.run) continue;
      // An expression in run: is pasted into the script before the shell sees it: a crafted input
      // or branch name becomes a command. Pass such values through env: instead.
      expect(step.run, `${where} interpolates into run:`).not.toMatch(
        /\$\{\{\s*(inputs|github\.event|github\.head_ref)\b/,
      );
    }
  });

  it('deploys only from a job gated by an environment, the only job holding the OIDC token', () => {
    const deployJobs = workflows.flatMap(({ file, workflow }) =>
      Object.entries(workflow.jobs)
        .filter(([, job]) => (job.steps ?? []).some((step) => /\bcdk deploy\b/.test(step.run ?? '')))
        .map(([name, job]) => ({ where: `${file} ${name}`, job, workflow })),
    );
    expect(deployJobs.length).toBeGreaterThan(0);
    for (const { where, job, workflow } of deployJobs) {
      const environment = typeof job.environment === 'string' ? job.environment : job.environment?.name;
      // A fixed name: the AWS role's trust names it, and its required reviewers are the approval.
      expect(environment, `${where} has no environment`).toBe('production');
      expect(job.permissions?.['id-token'], where).toBe('write');
      expect(workflow.permissions?.['id-token'], `${where}: id-token granted workflow-wide`).toBeUndefined();
    }
    for (const { file, workflow } of workflows) {
      for (const [name, job] of Object.entries(workflow.jobs)) {
        const deploys = (job.steps ?? []).some((step) => /\bcdk deploy\b/.test(step.run ?? ''));
        if (!deploys) expect(job.permissions?.['id-token'], `${file} ${name}`).toBeUndefined();
        for (const step of job.steps ?? []) {
          if (/--require-approval\s+never/.test(step.run ?? '')) {
            expect(job.environment, `${file} ${name}: --require-approval never without a gate`).toBeDefined();
          }
        }
      }
    }
  });

  it('offers every stage to deploy and builds the arm64 image on the x86 runner', () => {
    const deploy = workflows.find(({ file }) => file === 'deploy.yml');
    expect(deploy?.workflow.on?.workflow_dispatch?.inputs?.stage?.options).toEqual([
      'startup',
      'growing',
      'scaling',
      'enterprise',
    ]);
    const uses = (deploy?.workflow.jobs.deploy?.steps ?? []).map((step) => step.uses?.split('@')[0]);
    expect(uses).toContain('docker/setup-qemu-action');
    expect(uses).toContain('docker/setup-buildx-action');
  });
});
