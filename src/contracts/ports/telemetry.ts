/** The clock, metrics and logs every part of the storefront is handed. */
export interface Clock {
  now(): Date;
}

/** Business counters the app reports; the adapter decides where they go (Prometheus, EMF). */
export interface Metrics {
  count(
    name:
      | 'signups'
      | 'logins'
      | 'orders_placed'
      | 'events_recorded'
      | 'cache_hits'
      | 'cache_misses'
      | 'jobs_enqueue_failed',
    value?: number,
  ): void;
}

export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}
