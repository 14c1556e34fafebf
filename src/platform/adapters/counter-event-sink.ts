import { type EventCounters, type EventSink, SITE_WIDE, type StreamedEvent } from '../../contracts/ports.js';

/** Startup to scaling: each event is an atomic counter per product and type in the table. */
export class CounterEventSink implements EventSink {
  readonly mode = 'counters';
  constructor(private readonly counters: EventCounters) {}

  async record(event: StreamedEvent): Promise<void> {
    await this.counters.increment(event.productId ?? SITE_WIDE, event.type);
  }
}
