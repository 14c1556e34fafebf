/** Records every data port shares: ids, timestamps, money's currency and paging. */
import { z } from '../zod.js';

/** Sortable id (ULID, Crockford base32). */
export const IdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a 26-character ULID');

export const IsoDateTimeSchema = z.iso.datetime();

export const CurrencySchema = z.enum(['USD', 'EUR', 'GBP']);

/** One page of a listing; `nextCursor` is opaque and null on the last page. */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string | undefined;
}
