import { setTimeout as sleep } from 'node:timers/promises';
import { UnavailableError, ValidationError } from '../../contracts/errors.js';

/** Runs a paged query, turning a cursor DynamoDB or ElectroDB cannot read into a 400 on `cursor`. */
export async function withCursor<T>(cursor: string | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (cursor !== undefined && isBadCursor(error)) {
      throw new ValidationError('The cursor is not one this listing handed out.', [
        { path: 'cursor', message: 'invalid cursor' },
      ]);
    }
    throw error;
  }
}

function isBadCursor(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const text = `${error.message} ${cause?.message ?? ''}`;
  // A cursor that decodes to a key DynamoDB refuses ("The provided starting key is invalid")
  // comes back as ElectroDB's error wrapping the SDK's ValidationException.
  return (
    /cursor|ExclusiveStartKey|start(ing)? key|Exclusive Start Key/i.test(text) ||
    error.name === 'ValidationException' ||
    cause?.name === 'ValidationException'
  );
}

/** What one transaction attempt came to. */
export type TransactionOutcome<T> = { readonly done: T } | { readonly retry: true };

/**
 * Retries a transaction that DynamoDB cancelled because another transaction held one of its items
 * (reason `TransactionConflict`). Conflicts are expected when many buyers race for one product.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-conflict-handling
 */
export async function retryOnConflict<T>(
  attempt: () => Promise<TransactionOutcome<T>>,
  attempts = 12,
): Promise<T> {
  for (let index = 0; index < attempts; index++) {
    const outcome = await attempt();
    if ('done' in outcome) return outcome.done;
    const ceiling = Math.min(1000, 20 * 2 ** index);
    await sleep(Math.random() * ceiling);
  }
  throw new UnavailableError('The store is busy with competing writes to the same items; try again shortly.');
}
