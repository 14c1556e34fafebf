import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import {
  type ProductRecord,
  ProductRecordSchema,
  type SearchFilters,
  type SearchIndex,
} from '../../contracts/ports.js';
import { PRODUCT_INDEX } from '../../contracts/search-index.js';

/**
 * The query for a storefront search: relevance-scored (BM25) over the name (weighted most), the
 * category and the description; typo-tolerant (edit distance by term length, `AUTO`, with the
 * first letter fixed so it stays fast); the filters in filter context, where they narrow without
 * changing the scores.
 */
export function productSearchBody(text: string, limit: number, filters: SearchFilters = {}) {
  const filter: object[] = [];
  if (filters.category !== undefined) filter.push({ term: { category: filters.category } });
  if (filters.inStock) filter.push({ range: { stock: { gt: 0 } } });
  return {
    size: limit,
    track_total_hits: false,
    query: {
      bool: {
        must: [
          {
            multi_match: {
              query: text,
              fields: ['name^3', 'category.text^2', 'description'],
              type: 'best_fields',
              fuzziness: 'AUTO',
              prefix_length: 1,
              operator: 'and',
            },
          },
        ],
        filter,
      },
    },
  };
}

/** The subset of the OpenSearch client the adapter and the indexer call. */
export interface SearchClient {
  search(params: { index: string; body: object }): Promise<{ body: unknown }>;
  bulk(params: { body: object[]; refresh?: boolean | 'wait_for' }): Promise<{ body: unknown }>;
}

/**
 * The OpenSearch client for the domain (enterprise): requests signed with SigV4 under the
 * task's or function's own role, which the domain's fine-grained access control maps to a role
 * that may read and write the product index.
 */
export function createOpenSearchClient(options: { endpoint: string; region: string }): Client {
  return new Client({
    ...AwsSigv4Signer({ region: options.region, service: 'es', getCredentials: defaultProvider() }),
    node: options.endpoint,
  });
}

interface SearchHits {
  hits?: { hits?: { _source?: unknown }[] };
}

/** Enterprise search: the OpenSearch domain's product index, kept current by the stream indexer. */
export class OpenSearchIndex implements SearchIndex {
  readonly engine = 'opensearch';

  constructor(
    private readonly client: SearchClient,
    private readonly index = PRODUCT_INDEX,
  ) {}

  async search(query: string, limit: number, filters?: SearchFilters): Promise<ProductRecord[]> {
    const { body } = await this.client.search({
      index: this.index,
      body: productSearchBody(query, limit, filters),
    });
    return ((body as SearchHits).hits?.hits ?? []).map((hit) => ProductRecordSchema.parse(hit._source));
  }
}
