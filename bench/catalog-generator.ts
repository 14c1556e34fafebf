import type { ProductRecord } from '../src/contracts/ports.js';

// The bench's large catalogs: products shaped like the demo catalog's (a few words of name, a
// sentence of description, one of twenty categories), made from their index so every run and
// every size holds the same ones. Five products carry the word "zircon", for a search whose
// matches do not grow with the catalog.

const WORDS = [
  'oak',
  'lamp',
  'desk',
  'chair',
  'linen',
  'walnut',
  'steel',
  'brass',
  'wool',
  'cotton',
  'glass',
  'shelf',
  'mug',
  'vase',
  'rug',
  'stool',
  'ceramic',
  'copper',
  'maple',
  'velvet',
  'stone',
  'bamboo',
  'leather',
  'cedar',
];
const pick = (index: number, step: number) => WORDS[(index * step) % WORDS.length] as string;

/** How many products carry the rare word, whatever the catalog's size. */
export const RARE_MATCHES = 5;
export const RARE_WORD = 'zircon';

export function productAt(index: number, now: string): ProductRecord {
  const rare = index < RARE_MATCHES ? ` ${RARE_WORD}` : '';
  return {
    id: `bench-${String(index).padStart(7, '0')}`,
    name: `${pick(index, 1)} ${pick(index, 7)} ${pick(index, 11)}${rare} no. ${index}`,
    description: `A ${pick(index, 3)} and ${pick(index, 5)} piece for the ${pick(index, 13)} room, made to last.`,
    category: `category-${index % 20}`,
    priceCents: 500 + ((index * 37) % 20_000),
    currency: 'USD',
    stock: 1_000,
    imageUrl: `https://images.example.com/products/${index}.jpg`,
    createdAt: now,
    updatedAt: now,
  };
}
