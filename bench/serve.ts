// One server under test, in its own process, so it never shares a core's event loop with the
// load generator: `tsx bench/serve.ts ceiling|hono|app`. The app reads its settings from the
// environment as the container does. Reports its URL to the parent over IPC.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { composeRuntime } from '../src/entry/compose.js';
import { startLocalTraces } from '../src/entry/local-traces.js';
import { loadConfig } from '../src/platform/config.js';
import { startHttpServer } from '../src/platform/runtime/http-server.js';

const kind = process.argv[2];

async function serve(): Promise<string> {
  if (kind === 'ceiling') {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status":"ok"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  if (kind === 'hono') {
    const app = new Hono();
    app.get('/', (c) => c.json({ status: 'ok' }));
    return (await startHttpServer(app, { port: 0, host: '127.0.0.1' })).url;
  }
  // The app as `npm start` composes it: every request traced into the ops console's ring, the
  // access log on stdout (the parent points stdout at a file and weighs it).
  const config = loadConfig(process.env);
  const traces = startLocalTraces(config);
  const runtime = composeRuntime(config, { traces: traces.store });
  return (await startHttpServer(runtime.app, { port: 0, host: '127.0.0.1' })).url;
}

const url = await serve();
process.send?.({ url });
process.on('disconnect', () => process.exit(0));
