// kinesalite ships no types: the part of its API the local runtime uses.
declare module 'kinesalite' {
  import type { Server } from 'node:http';

  interface KinesaliteOptions {
    /** Milliseconds a stream stays CREATING (default 500). */
    createStreamMs?: number;
    deleteStreamMs?: number;
    updateStreamMs?: number;
    shardLimit?: number;
    /** A LevelDB directory; in memory when absent. */
    path?: string;
  }

  export default function kinesalite(options?: KinesaliteOptions): Server;
}
