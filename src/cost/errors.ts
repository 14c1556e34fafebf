import { GrowstackError } from '../contracts/errors.js';

/**
 * The cost model cannot answer: a service, region or price the catalog does not hold, or a
 * template it cannot read. `field` names the usage field or price at fault where one is.
 */
export class CostModelError extends GrowstackError {
  readonly field: string | undefined;
  constructor(message: string, options?: ErrorOptions & { readonly field?: string }) {
    super(message, options);
    this.field = options?.field;
  }
}
