import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SynthesisError } from '../errors.js';

/**
 * The viewer-request function of the UI's behavior, which answers the app's routes with the app
 * shell: plain JavaScript, run by CloudFront and by the tests as is.
 */
export const SPA_ROUTING_SOURCE_FILE = join(import.meta.dirname, 'spa-routing.js');

const MARK_SWITCH = 'var MARK_CRAWLERS = false;';

/**
 * The function's source: as the file is, or with crawler marking switched on for the product
 * pages' behavior of the stage that renders them at the edge.
 */
export function spaRoutingSource(options: { readonly markCrawlers: boolean }): string {
  const source = readFileSync(SPA_ROUTING_SOURCE_FILE, 'utf8');
  if (!options.markCrawlers) return source;
  if (!source.includes(MARK_SWITCH)) {
    throw new SynthesisError(`${SPA_ROUTING_SOURCE_FILE} no longer declares "${MARK_SWITCH}"`);
  }
  return source.replace(MARK_SWITCH, 'var MARK_CRAWLERS = true;');
}
