import {
  type EventType,
  REPORT_WINDOWS,
  type ReportWindow,
  SITE_WIDE,
  type StreamedEvent,
  type TopProductsReport,
} from '../../contracts/ports.js';

const MINUTE = 60_000;

interface Counts {
  views: number;
  addsToCart: number;
  checkouts: number;
}

/**
 * Top products over the last hour or day, from a stream of events: counts kept per minute and
 * product, so memory is bounded by a day of minutes whatever the traffic, and a window is the
 * sum of its minutes. Ranked by views, then adds to cart, then checkouts, then product id: the
 * same order the query over the delivered files uses.
 */
export class TopProducts {
  private readonly minutes = new Map<number, Map<string, Counts>>();

  add(event: StreamedEvent): void {
    if (!event.productId || event.productId === SITE_WIDE) return;
    const field = fieldOf(event.type);
    if (!field) return;
    const minute = Math.floor(Date.parse(event.at) / MINUTE);
    let products = this.minutes.get(minute);
    if (!products) {
      products = new Map();
      this.minutes.set(minute, products);
    }
    let counts = products.get(event.productId);
    if (!counts) {
      counts = { views: 0, addsToCart: 0, checkouts: 0 };
      products.set(event.productId, counts);
    }
    counts[field]++;
  }

  /** Minutes older than the longest window are dropped. */
  prune(now: Date): void {
    const oldest = Math.floor((now.getTime() - REPORT_WINDOWS.day) / MINUTE);
    for (const minute of this.minutes.keys()) if (minute < oldest) this.minutes.delete(minute);
  }

  /** The window ending now: every minute that started after `now - window`, up to now. */
  report(window: ReportWindow, now: Date, limit = 10, source = 'stream consumer'): TopProductsReport {
    const to = now.getTime();
    const from = to - REPORT_WINDOWS[window];
    const totals = new Map<string, Counts>();
    let events = 0;
    for (const [minute, products] of this.minutes) {
      const start = minute * MINUTE;
      if (start < from || start > to) continue;
      for (const [productId, counts] of products) {
        const total = totals.get(productId) ?? { views: 0, addsToCart: 0, checkouts: 0 };
        total.views += counts.views;
        total.addsToCart += counts.addsToCart;
        total.checkouts += counts.checkouts;
        totals.set(productId, total);
        events += counts.views + counts.addsToCart + counts.checkouts;
      }
    }
    const products = [...totals]
      .map(([productId, counts]) => ({ productId, ...counts }))
      .sort(
        (a, b) =>
          b.views - a.views ||
          b.addsToCart - a.addsToCart ||
          b.checkouts - a.checkouts ||
          a.productId.localeCompare(b.productId),
      )
      .slice(0, limit);
    return {
      window,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      events,
      source,
      products,
    };
  }
}

function fieldOf(type: EventType): keyof Counts | undefined {
  switch (type) {
    case 'view':
      return 'views';
    case 'add_to_cart':
      return 'addsToCart';
    case 'checkout':
      return 'checkouts';
    default:
      return undefined;
  }
}
