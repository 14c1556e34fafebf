// The product index's layout: read by the search adapter and the indexer, which create it, and by
// the CDK app.

/** The product index's name in the domain. */
export const PRODUCT_INDEX = 'products';

/**
 * How the product index is laid out: text fields analysed for relevance (English stemming on the
 * description), the category and ids as exact keywords for filters, stock and price as numbers.
 */
export const PRODUCT_MAPPINGS = {
  dynamic: 'strict',
  properties: {
    id: { type: 'keyword' },
    name: { type: 'text', fields: { raw: { type: 'keyword' } } },
    description: { type: 'text', analyzer: 'english' },
    category: { type: 'keyword', fields: { text: { type: 'text' } } },
    priceCents: { type: 'long' },
    currency: { type: 'keyword' },
    stock: { type: 'integer' },
    imageUrl: { type: 'keyword', index: false },
    createdAt: { type: 'date' },
    updatedAt: { type: 'date' },
  },
} as const;
