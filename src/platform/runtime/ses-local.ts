import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { freePort } from './process-tools.js';

export interface SesLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts aws-ses-v2-local, the SES v2 stand-in, in this process on a free 127.0.0.1 port. */
export async function startSesLocal(): Promise<SesLocal> {
  const port = await freePort();
  // The package is CommonJS with its server function as the default export.
  const sesLocal = createRequire(import.meta.url)('aws-ses-v2-local') as {
    default: (config: { host: string; port: number }) => Promise<Server>;
  };
  const server = await sesLocal.default({ host: '127.0.0.1', port });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
