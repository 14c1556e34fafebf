import { ulid } from 'ulid';
import { NotFoundError } from '../../platform/errors.js';
import type { Page, Ports, ProductRecord } from '../../platform/ports.js';
import type { ProductCreate, ProductPatch } from './catalog-schemas.js';

/** The picture shown when a product has none of its own: one bundled image per category. */
export function defaultImageUrl(category: string): string {
  return `/images/products/${category}.svg`;
}

/** Reading and editing the catalog. */
export class CatalogService {
  constructor(private readonly ports: Ports) {}

  list(query: {
    category?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<ProductRecord>> {
    return this.ports.table.products.list(query);
  }

  async get(id: string): Promise<ProductRecord> {
    const product = await this.ports.table.products.get(id);
    if (!product) throw new NotFoundError(`No product with id ${id}.`);
    return product;
  }

  async create(input: ProductCreate, id: string = ulid()): Promise<ProductRecord> {
    const now = this.ports.clock.now().toISOString();
    const product: ProductRecord = {
      ...input,
      id,
      imageUrl: input.imageUrl ?? defaultImageUrl(input.category),
      createdAt: now,
      updatedAt: now,
    };
    await this.ports.table.products.create(product);
    return product;
  }

  update(id: string, patch: ProductPatch): Promise<ProductRecord> {
    return this.ports.table.products.update(id, {
      ...patch,
      updatedAt: this.ports.clock.now().toISOString(),
    });
  }

  delete(id: string): Promise<void> {
    return this.ports.table.products.delete(id);
  }
}
