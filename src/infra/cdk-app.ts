/**
 * The CDK app as the CDK CLI runs it (`cdk.json`): `npx cdk deploy -c stage=scaling --all`. The
 * CLI performs the lookups the app needs (availability zones, with `account` set), records them
 * in `cdk.context.json` and runs the app again with them, so nothing deploys with a placeholder.
 * Settings come from growstack.config.ts; `-c stage=S` picks the stage, and
 * `-c maxReplicaRegions=N` makes the intermediate deploy of a move that adds replicas.
 */
import { App } from 'aws-cdk-lib';
import { ConfigError } from '../contracts/errors.js';
import { isStage, STAGES } from '../contracts/stages.js';
import { buildApp } from './app.js';
import { loadInfraConfig } from './infra-config.js';

// Only for reading the CLI's context (-c, cdk.json, cdk.context.json), which App gathers.
const context = new App({ autoSynth: false }).node;
const stage = context.tryGetContext('stage') as unknown;
if (typeof stage !== 'string' || !isStage(stage))
  throw new ConfigError(`-c stage=S is required, one of ${STAGES.join(', ')} (got ${String(stage)})`);
const cap = context.tryGetContext('maxReplicaRegions') as unknown;
const maxReplicaRegions = cap === undefined ? undefined : Number(cap);
if (maxReplicaRegions !== undefined && !(Number.isInteger(maxReplicaRegions) && maxReplicaRegions >= 0))
  throw new ConfigError(`-c maxReplicaRegions=N must be a whole number, got ${String(cap)}`);
const root = process.cwd();
const { app } = buildApp({
  stage,
  config: await loadInfraConfig(root),
  // The CLI names the assembly folder; run by hand, this writes cdk.out.
  outdir: process.env.CDK_OUTDIR ?? 'cdk.out',
  root,
  ...(maxReplicaRegions === undefined ? {} : { maxReplicaRegions }),
});
app.synth();
