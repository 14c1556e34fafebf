/**
 * Reads back what a crawler reads from a rendered page: the title, the meta tags (entities
 * decoded) and the JSON-LD blocks (parsed), so tests compare values rather than markup.
 */
export interface PageHead {
  readonly title: string | null;
  /** `name` or `property` → `content`, the last one winning as crawlers take it. */
  readonly meta: Readonly<Record<string, string>>;
  readonly jsonLd: readonly Record<string, unknown>[];
  /** How many `<script` elements the page has: a hostile name must not add one. */
  readonly scriptCount: number;
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

export function readPageHead(html: string): PageHead {
  const meta: Record<string, string> = {};
  for (const match of html.matchAll(/<meta\s+(name|property)="([^"]+)"\s+content="([^"]*)">/g)) {
    meta[match[2]!] = decode(match[3]!);
  }
  const jsonLd = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map(
    (match) => JSON.parse(match[1]!) as Record<string, unknown>,
  );
  const title = /<title>([\s\S]*?)<\/title>/.exec(html)?.[1];
  return {
    title: title === undefined ? null : decode(title),
    meta,
    jsonLd,
    scriptCount: html.match(/<script\b/gi)?.length ?? 0,
  };
}
