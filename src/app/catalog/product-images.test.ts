import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORY_IMAGES, defaultImageUrl, PLACEHOLDER_IMAGE } from './product-images.js';

const IMAGES = join(import.meta.dirname, '..', '..', '..', 'web', 'public', 'images', 'products');

describe('a product’s default picture', () => {
  it('is its category’s own where one is bundled', () => {
    expect(defaultImageUrl('kitchen')).toBe('/images/products/kitchen.svg');
  });

  it('is the generic picture for a category without one, never a URL that 404s', () => {
    expect(defaultImageUrl('home-office')).toBe(PLACEHOLDER_IMAGE);
    expect(defaultImageUrl('../kitchen')).toBe(PLACEHOLDER_IMAGE);
  });

  it('names exactly the pictures web/public bundles', () => {
    const files = readdirSync(IMAGES).filter((file) => file.endsWith('.svg'));
    expect(files).toContain('placeholder.svg');
    expect([...CATEGORY_IMAGES].sort()).toEqual(
      files
        .filter((file) => file !== 'placeholder.svg')
        .map((file) => file.replace(/\.svg$/, ''))
        .sort(),
    );
  });
});
