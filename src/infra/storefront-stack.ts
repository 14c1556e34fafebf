import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { StageCapabilities } from '../platform/stages.js';
import { Api } from './constructs/api.js';
import { Backup } from './constructs/backup.js';
import { Budget } from './constructs/budget.js';
import { Data } from './constructs/data.js';
import { Jobs } from './constructs/jobs.js';
import { NodeFunction } from './constructs/node-function.js';
import { Observability } from './constructs/observability.js';
import { Site } from './constructs/site.js';
import type { InfraConfig } from './infra-config.js';

export interface StorefrontStackProps extends StackProps {
  readonly capabilities: StageCapabilities;
  readonly config: InfraConfig;
  /** Repository root: where the function entries and web/dist are found. */
  readonly root: string;
}

const API_TIMEOUT = Duration.seconds(29); // API Gateway's integration limit
const WORKER_TIMEOUT = Duration.seconds(30);

/**
 * One region of the storefront. What exists is read from the stage's row of the stage table:
 * this file composes constructs and decides nothing about stages itself.
 */
export class StorefrontStack extends Stack {
  constructor(scope: Construct, id: string, props: StorefrontStackProps) {
    super(scope, id, props);
    const caps = props.capabilities;
    const runtime = (name: string) => join(props.root, 'src', 'platform', 'runtime', name);
    const data = new Data(this, 'Data', { pointInTimeRecovery: caps.data.pointInTimeRecovery });
    const environment = {
      GROWSTACK_STAGE: caps.stage,
      TABLE_NAME: data.table.tableName,
      LOG_LEVEL: 'info',
      GROWSTACK_TELEMETRY: 'emf',
      MAIL_FROM: props.config.mailFrom,
    };
    // The welcome e-mail is sent from one verified identity; no other identity may be used.
    const sendMail = new PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [
        this.formatArn({ service: 'ses', resource: 'identity', resourceName: props.config.mailFrom }),
      ],
    });
    const api = new NodeFunction(this, 'ApiFunction', {
      entry: runtime('lambda-api.ts'),
      environment,
      timeout: API_TIMEOUT,
      tracing: caps.observability.tracing,
    });
    data.grantReadWrite(api.fn);
    api.fn.addToRolePolicy(sendMail);
    const restApi = new Api(this, 'Api', { handler: api.fn, cache: caps.api.gatewayCache });
    const site = new Site(this, 'Site', {
      api: restApi.restApi,
      webDist: join(props.root, 'web', 'dist'),
      cachePolicies: caps.web.cachePolicies,
    });

    let jobs: Jobs | undefined;
    const functions = [api.fn];
    if (caps.jobs === 'sqs') {
      const worker = new NodeFunction(this, 'WorkerFunction', {
        entry: runtime('lambda-worker.ts'),
        environment,
        timeout: WORKER_TIMEOUT,
        tracing: caps.observability.tracing,
      });
      data.grantReadWrite(worker.fn);
      worker.fn.addToRolePolicy(sendMail);
      jobs = new Jobs(this, 'Jobs', { worker: worker.fn, workerTimeout: WORKER_TIMEOUT });
      jobs.grantEnqueue(api.fn);
      api.fn.addEnvironment('QUEUE_URL', jobs.queue.queueUrl);
      functions.push(worker.fn);
    }
    if (caps.data.backupPlan) new Backup(this, 'Backup', { table: data.table });
    if (caps.observability.alarms) {
      new Observability(this, 'Observability', {
        api: restApi.restApi,
        functions,
        table: data.table,
        deadLetterQueue: jobs?.deadLetterQueue,
        alarmEmail: props.config.alarmEmail,
      });
    }
    if (caps.security.budgets) {
      new Budget(this, 'Budget', {
        monthlyUsd: props.config.monthlyBudgetUsd,
        email: props.config.alarmEmail,
      });
    }

    new CfnOutput(this, 'SiteUrl', { value: `https://${site.distribution.distributionDomainName}` });
    new CfnOutput(this, 'ApiUrl', { value: restApi.restApi.url });
    new CfnOutput(this, 'TableName', { value: data.table.tableName });
  }
}
