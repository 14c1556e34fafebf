import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Node's server, for callers that watch connections (the container's graceful shutdown). */
  readonly server: Server;
  /** Stops accepting connections, lets in-flight requests finish, then resolves. */
  close(): Promise<void>;
}

/** Serves a Hono app with Node's HTTP server. */
export function startHttpServer(app: Hono, options: { port: number; host: string }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, port: options.port, hostname: options.host },
      (info: AddressInfo) => {
        const host = options.host === '127.0.0.1' ? 'localhost' : options.host;
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          server: server as Server,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              if ('closeIdleConnections' in server) server.closeIdleConnections();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}
