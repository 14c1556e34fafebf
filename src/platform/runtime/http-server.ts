import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { type AnswerReplay, replayOf } from '../http/answer-replay.js';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Node's server, for callers that watch connections (the container's graceful shutdown). */
  readonly server: Server;
  /** Stops accepting connections, lets in-flight requests finish, then resolves. */
  close(): Promise<void>;
}

/**
 * Serves a Hono app with Node's HTTP server. Where the app's edge allows it, a request its edge
 * can answer from a kept answer is answered before the app runs (answer-replay.ts).
 */
export function startHttpServer(app: Hono, options: { port: number; host: string }): Promise<RunningServer> {
  const replay = replayOf(app);
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: app.fetch,
        port: options.port,
        hostname: options.host,
        // node-server builds the server with this and its own listener: replay goes first.
        ...(replay ? { createServer: replayFirst(replay) as typeof createServer } : {}),
      },
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
    server.on('request', closeAfterUnreadBody);
  });
}

function replayFirst(replay: AnswerReplay) {
  return (serverOptions: ServerOptions, listener: RequestListener): Server =>
    createServer(serverOptions, (request, response) => {
      if (!replay.serve(request, response)) listener(request, response);
    });
}

/**
 * A response that goes out before its request's body has arrived (a 413, a 415 or a 401 refused
 * before the body is read) leaves bytes on the socket that the server then drops along with the
 * connection. Say `Connection: close` in such a response, so a keep-alive client opens a new
 * connection for its next request instead of sending it into a closed one.
 */
function closeAfterUnreadBody(request: IncomingMessage, response: ServerResponse): void {
  const writeHead = response.writeHead;
  response.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
    if (!request.complete && !this.headersSent) this.setHeader('connection', 'close');
    return writeHead.apply(this, args);
  } as ServerResponse['writeHead'];
}
