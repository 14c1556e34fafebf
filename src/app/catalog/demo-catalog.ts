import type { ProductCreate } from './catalog-schemas.js';

/** Category → the things sold in it; each crossed with the finishes below gives the demo catalog. */
const CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  books: [
    'Field guide',
    'Cookbook',
    'Atlas',
    'Notebook',
    'Sketchbook',
    'Poetry collection',
    'Travel diary',
    'Puzzle book',
  ],
  electronics: [
    'Headphones',
    'Desk lamp',
    'USB hub',
    'Power bank',
    'Speaker',
    'Keyboard',
    'Webcam',
    'Charger',
  ],
  home: [
    'Throw blanket',
    'Cushion',
    'Candle',
    'Vase',
    'Wall clock',
    'Picture frame',
    'Doormat',
    'Storage basket',
  ],
  garden: [
    'Watering can',
    'Planter',
    'Trowel',
    'Seed kit',
    'Bird feeder',
    'Garden gloves',
    'Hose reel',
    'Lantern',
  ],
  kitchen: [
    'Chef knife',
    'Cutting board',
    'Teapot',
    'Mug',
    'Mixing bowl',
    'Spice rack',
    'Pour-over set',
    'Apron',
  ],
  sports: [
    'Yoga mat',
    'Water bottle',
    'Jump rope',
    'Dumbbell',
    'Running cap',
    'Gym bag',
    'Resistance band',
    'Foam roller',
  ],
  toys: [
    'Wooden train',
    'Kite',
    'Puzzle',
    'Building blocks',
    'Plush fox',
    'Marble run',
    'Board game',
    'Yo-yo',
  ],
  apparel: ['Wool scarf', 'Beanie', 'Socks', 'Canvas tote', 'Rain jacket', 'T-shirt', 'Belt', 'Mittens'],
};

const FINISHES = ['Walnut', 'Slate', 'Ocean', 'Meadow', 'Ember', 'Frost', 'Sand', 'Midnight'] as const;

/** A deterministic demo catalog of 64 products across 8 categories, seeded on first run. */
export function demoCatalog(): ProductCreate[] {
  return Object.entries(CATEGORIES).flatMap(([category, things], categoryIndex) =>
    things.map((thing, index) => {
      const finish = FINISHES[(index + categoryIndex) % FINISHES.length] ?? 'Classic';
      return {
        name: `${finish} ${thing.toLowerCase()}`,
        description: `A ${finish.toLowerCase()}-toned ${thing.toLowerCase()} from our ${category} range. Made to last, priced to try.`,
        category,
        // Spread prices from $4.99 upwards, ending in .99 as shops do.
        priceCents: 499 + ((categoryIndex * 7 + index * 13) % 40) * 250,
        currency: 'USD' as const,
        stock: 5 + ((categoryIndex * 11 + index * 17) % 60),
      };
    }),
  );
}
