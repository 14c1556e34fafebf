/** The categories with a bundled picture of their own, in web/public/images/products/<category>.svg. */
export const CATEGORY_IMAGES: readonly string[] = [
  'apparel',
  'books',
  'electronics',
  'garden',
  'home',
  'kitchen',
  'sports',
  'toys',
];

/** The generic picture, for a category without one of its own. */
export const PLACEHOLDER_IMAGE = '/images/products/placeholder.svg';

/** The picture shown when a product has none of its own: its category's, else the generic one. */
export function defaultImageUrl(category: string): string {
  return CATEGORY_IMAGES.includes(category) ? `/images/products/${category}.svg` : PLACEHOLDER_IMAGE;
}
