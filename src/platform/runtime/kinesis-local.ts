import type { AddressInfo } from 'node:net';

export interface KinesisLocal {
  /** http://127.0.0.1:<port>, for the Kinesis client's endpoint. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * The local stand-in for Kinesis Data Streams: kinesalite, in this process, in memory (the
 * stream is analytics, rebuilt from new events after a restart). Streams become ACTIVE at once.
 */
export async function startKinesisLocal(options: { port?: number } = {}): Promise<KinesisLocal> {
  // Loaded here, not at the top: only the enterprise stage runs it.
  const { default: kinesalite } = await import('kinesalite');
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
