// The application half of `npm start`: what the supervisor (local-supervisor.ts) needs once the
// stand-ins answer. The supervisor imports this module dynamically, right after it has launched
// Java, so loading the app (about a second of module loading) overlaps DynamoDB Local's own start
// instead of coming before it. What only some stages use (the SQS stand-in and its worker, Redis,
// the Cognito stand-in, Kinesis) is imported by the supervisor when the stage needs it.
export { DEMO_ADMIN, seedDemoData } from '../app/demo-data.js';
export { opsCostReport } from '../cost/advise/ops-report.js';
export { createDynamoDbClient } from '../platform/adapters/dynamodb-client.js';
export { ensureTable } from '../platform/adapters/dynamodb-table-setup.js';
export { startHttpServer } from '../platform/runtime/http-server.js';
export { templateCacheReader } from '../platform/template-cache-reader.js';
export { composeRuntime } from './compose.js';
export { startLocalTraces } from './local-traces.js';
export { stageMapSource } from './stage-map-source.js';
