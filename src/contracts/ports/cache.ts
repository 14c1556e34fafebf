/** Hot reads kept for a while; every product write invalidates the catalog's entries. */
export interface Cache {
  /** Which adapter serves (none, memory, redis). */
  readonly mode: string;
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  /** Drops every entry whose key starts with the prefix. */
  invalidate(prefix: string): Promise<void>;
}
