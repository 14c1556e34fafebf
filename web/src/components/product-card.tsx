import { formatMoney, type Product } from '../api.js';
import { Link } from '../router.js';

const PLACEHOLDER = '/images/products/placeholder.svg';

/** The product's picture; a category without one of its own gets the generic picture. */
export function ProductImage({
  product,
  size,
}: {
  product: Pick<Product, 'imageUrl' | 'name'>;
  size: 'card' | 'page';
}) {
  return (
    <img
      className={`product-image product-image-${size}`}
      src={product.imageUrl || PLACEHOLDER}
      alt=""
      width={240}
      height={200}
      loading="lazy"
      onError={(event) => {
        if (!event.currentTarget.src.endsWith(PLACEHOLDER)) event.currentTarget.src = PLACEHOLDER;
      }}
    />
  );
}

export function ProductCard({ product }: { product: Product }) {
  return (
    <li className="card">
      <Link href={`/products/${product.id}`} className="card-link">
        <ProductImage product={product} size="card" />
        <span className="card-name">{product.name}</span>
      </Link>
      <span className="card-meta">
        <span className="price">{formatMoney(product.priceCents, product.currency)}</span>
        <span className={product.stock > 0 ? 'stock' : 'stock stock-out'}>
          {product.stock > 0 ? `${product.stock} in stock` : 'Out of stock'}
        </span>
      </span>
    </li>
  );
}
