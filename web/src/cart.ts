import { useSyncExternalStore } from 'react';
import type { Product } from './api.js';

export interface CartLine {
  readonly productId: string;
  readonly name: string;
  readonly category: string;
  readonly imageUrl: string;
  readonly priceCents: number;
  readonly currency: string;
  readonly quantity: number;
}

const KEY = 'growstack.cart';
/** The API's default cap per order line (ORDER_MAX_LINE_QUANTITY): a larger line would be refused. */
export const MAX_QUANTITY = 10;
const listeners = new Set<() => void>();
let cache: { raw: string | null; lines: CartLine[] } = { raw: null, lines: [] };

function read(): CartLine[] {
  const raw = localStorage.getItem(KEY);
  if (raw === cache.raw) return cache.lines;
  let lines: CartLine[] = [];
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    if (Array.isArray(parsed)) lines = parsed as CartLine[];
  } catch {
    // A corrupted cart is an empty cart, not a broken page.
  }
  cache = { raw, lines };
  return lines;
}

function write(lines: CartLine[]): void {
  localStorage.setItem(KEY, JSON.stringify(lines));
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab changed the cart.
  const onStorage = (event: StorageEvent) => {
    if (event.key === KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** The cart, kept in local storage so it survives reloads and is shared by tabs. */
export function useCart(): CartLine[] {
  return useSyncExternalStore(subscribe, read);
}

export const cart = {
  add(product: Product, quantity = 1): void {
    const lines = read();
    const existing = lines.find((line) => line.productId === product.id);
    if (existing) {
      cart.setQuantity(product.id, existing.quantity + quantity);
      return;
    }
    write([
      ...lines,
      {
        productId: product.id,
        name: product.name,
        category: product.category,
        imageUrl: product.imageUrl,
        priceCents: product.priceCents,
        currency: product.currency,
        quantity: Math.min(quantity, MAX_QUANTITY),
      },
    ]);
  },
  setQuantity(productId: string, quantity: number): void {
    const clamped = Math.max(1, Math.min(MAX_QUANTITY, Math.floor(quantity) || 1));
    write(read().map((line) => (line.productId === productId ? { ...line, quantity: clamped } : line)));
  },
  remove(productId: string): void {
    write(read().filter((line) => line.productId !== productId));
  },
  clear(): void {
    write([]);
  },
};

/** Identifies the cart's contents: a checkout attempt keeps its idempotency key while this holds. */
export function cartSignature(lines: readonly CartLine[]): string {
  return lines.map((line) => `${line.productId}x${line.quantity}`).join(',');
}

export function cartCount(lines: readonly CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity, 0);
}
