/** A background job as it travels: its type plus the job's own fields (JSON). */
export interface JobMessage {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** Moves slow work off the request: inline at startup, a queue and a worker from growing on. */
export interface JobQueue {
  /** Which adapter serves (inline, sqs). */
  readonly mode: string;
  enqueue(job: JobMessage): Promise<void>;
}
