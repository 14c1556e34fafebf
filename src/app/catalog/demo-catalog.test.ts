import { describe, expect, it } from 'vitest';
import { demoCatalog } from './demo-catalog.js';

const catalog = demoCatalog();
const byName = (name: string) => catalog.find((product) => product.name === name);

describe('the demo catalog’s copy', () => {
  it('speaks of things sold in pairs in the plural, with no article', () => {
    expect(byName('Sand mittens')?.description).toBe(
      'Sand-toned mittens from our apparel range. Made to last, priced to try.',
    );
    for (const product of catalog)
      expect(product.description, product.name).not.toMatch(/^An? \S+-toned (mittens|socks|headphones)\b/);
  });

  it('writes "an" before a vowel and "a" before a consonant', () => {
    for (const product of catalog) {
      const [article, toned] = product.description.split(' ');
      if (article !== 'A' && article !== 'An') continue;
      expect(article, product.description).toBe(/^[aeiou]/i.test(toned ?? '') ? 'An' : 'A');
    }
    expect(catalog.some((product) => product.description.startsWith('An ember-toned'))).toBe(true);
  });

  it('keeps acronyms and names as written', () => {
    expect(catalog.map((product) => product.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/ USB hub$/), expect.stringMatching(/ T-shirt$/)]),
    );
  });
});
