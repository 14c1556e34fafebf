import type { ProductCreate } from './catalog-schemas.js';

/** Category → the things sold in it, as written mid-sentence; crossed with the finishes below. */
const CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  books: [
    'field guide',
    'cookbook',
    'atlas',
    'notebook',
    'sketchbook',
    'poetry collection',
    'travel diary',
    'puzzle book',
  ],
  electronics: [
    'headphones',
    'desk lamp',
    'USB hub',
    'power bank',
    'speaker',
    'keyboard',
    'webcam',
    'charger',
  ],
  home: [
    'throw blanket',
    'cushion',
    'candle',
    'vase',
    'wall clock',
    'picture frame',
    'doormat',
    'storage basket',
  ],
  garden: [
    'watering can',
    'planter',
    'trowel',
    'seed kit',
    'bird feeder',
    'garden gloves',
    'hose reel',
    'lantern',
  ],
  kitchen: [
    'chef knife',
    'cutting board',
    'teapot',
    'mug',
    'mixing bowl',
    'spice rack',
    'pour-over set',
    'apron',
  ],
  sports: [
    'yoga mat',
    'water bottle',
    'jump rope',
    'dumbbell',
    'running cap',
    'gym bag',
    'resistance band',
    'foam roller',
  ],
  toys: [
    'wooden train',
    'kite',
    'puzzle',
    'building blocks',
    'plush fox',
    'marble run',
    'board game',
    'yo-yo',
  ],
  apparel: ['wool scarf', 'beanie', 'socks', 'canvas tote', 'rain jacket', 'T-shirt', 'belt', 'mittens'],
};

const FINISHES = ['Walnut', 'Slate', 'Ocean', 'Meadow', 'Ember', 'Frost', 'Sand', 'Midnight'] as const;

/** Things sold in pairs or sets, named in the plural: "Sand-toned mittens", not "A sand-toned mittens". */
const PLURALS = new Set(['headphones', 'garden gloves', 'building blocks', 'socks', 'mittens']);

/** "A sand-toned scarf", "An ember-toned mug", "Frost-toned socks". */
function describeThing(finish: string, thing: string, category: string): string {
  const toned = `${finish.toLowerCase()}-toned ${thing}`;
  const phrase = PLURALS.has(thing) ? capitalize(toned) : `${/^[aeiou]/i.test(finish) ? 'An' : 'A'} ${toned}`;
  return `${phrase} from our ${category} range. Made to last, priced to try.`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A deterministic demo catalog of 64 products across 8 categories, seeded on first run. */
export function demoCatalog(): ProductCreate[] {
  return Object.entries(CATEGORIES).flatMap(([category, things], categoryIndex) =>
    things.map((thing, index) => {
      const finish = FINISHES[(index + categoryIndex) % FINISHES.length] ?? 'Classic';
      return {
        name: `${finish} ${thing}`,
        description: describeThing(finish, thing, category),
        category,
        // Spread prices from $4.99 upwards, ending in .99 as shops do.
        priceCents: 499 + ((categoryIndex * 7 + index * 13) % 40) * 250,
        currency: 'USD' as const,
        stock: 5 + ((categoryIndex * 11 + index * 17) % 60),
      };
    }),
  );
}
