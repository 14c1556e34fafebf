import { ProductRecordSchema } from '../../contracts/ports.js';
import { z } from '../../contracts/zod.js';
import { PageQuerySchema } from '../openapi-shared.js';

export const ProductSchema = ProductRecordSchema.openapi('Product');

const editable = ProductRecordSchema.pick({
  name: true,
  description: true,
  category: true,
  priceCents: true,
  currency: true,
  stock: true,
  imageUrl: true,
});

export const ProductCreateSchema = z
  .strictObject({
    ...editable.shape,
    name: editable.shape.name.openapi({ example: 'Walnut desk organiser' }),
    description: editable.shape.description.default(''),
    currency: editable.shape.currency.default('USD'),
    stock: editable.shape.stock.default(0),
    imageUrl: editable.shape.imageUrl.optional(),
  })
  .openapi('ProductCreate');
export type ProductCreate = z.infer<typeof ProductCreateSchema>;

export const ProductPatchSchema = z
  .strictObject(editable.partial().shape)
  .refine((patch) => Object.keys(patch).length > 0, { message: 'give at least one field to change' })
  .openapi('ProductPatch');
export type ProductPatch = z.infer<typeof ProductPatchSchema>;

export const ProductListQuerySchema = PageQuerySchema.extend({
  category: ProductRecordSchema.shape.category.optional(),
});

export const ProductPageSchema = z
  .object({ items: z.array(ProductSchema), nextCursor: z.string().nullable() })
  .openapi('ProductPage');

export const ProductIdParamSchema = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: '01JH6Z8Q3M6W1T3YQ4V8B2C9DE' }),
});
