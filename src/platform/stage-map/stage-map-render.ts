import {
  STAGE_MAP_GROUPS,
  type StageMap,
  type StageMapBox,
  type StageMapGroup,
} from '../../contracts/stage-map.js';

/** How a map is drawn: with the local stand-ins, and with some boxes marked as what a move adds. */
export interface StageMapDrawing {
  /** Add each box's local stand-in (`npm start`) under its name. */
  readonly local?: boolean;
  /** `<region>/<box id>` of the boxes to highlight, and regions to highlight whole. */
  readonly highlight?: ReadonlySet<string>;
}

/** The arrows between groups that both exist in a region: requests flow from the edge inward. */
const FLOWS: readonly (readonly [StageMapGroup, StageMapGroup])[] = [
  ['edge', 'api'],
  ['edge', 'compute'],
  ['api', 'data'],
  ['api', 'queues'],
  ['api', 'caches'],
  ['api', 'search'],
  ['api', 'analytics'],
  ['api', 'auth'],
  ['compute', 'data'],
  ['compute', 'caches'],
];

const boxText = (box: StageMapBox) => (box.count > 1 ? `${box.label} ×${box.count}` : box.label);
const isHighlighted = (drawing: StageMapDrawing, region: string, box: StageMapBox) =>
  drawing.highlight?.has(region) === true || drawing.highlight?.has(`${region}/${box.id}`) === true;
const groupsOf = (boxes: readonly StageMapBox[]) =>
  STAGE_MAP_GROUPS.filter((group) => boxes.some((box) => box.group === group));

/** Mermaid flowchart text of a map: a subgraph per region, one per group inside, a node per box. */
export function stageMapMermaid(map: StageMap, drawing: StageMapDrawing = {}): string {
  const node = (...parts: string[]) => parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
  // Mermaid labels are quoted strings: a double quote inside one is written as an entity.
  const quote = (text: string) => `"${text.replace(/"/g, '#quot;')}"`;
  const lines = ['flowchart LR', `  %% ${map.stage}: generated from the synthesized templates`];
  const highlighted: string[] = [];
  for (const region of map.regions) {
    lines.push(`  subgraph ${node(region.region)}[${quote(region.region)}]`);
    for (const group of groupsOf(region.boxes)) {
      lines.push(`    subgraph ${node(region.region, group)}[${quote(group)}]`);
      for (const box of region.boxes.filter((candidate) => candidate.group === group)) {
        const id = node(region.region, box.id);
        const local = drawing.local ? `<br/><i>local: ${box.localStandIn ?? 'not run locally'}</i>` : '';
        lines.push(`      ${id}[${quote(boxText(box) + local)}]`);
        if (isHighlighted(drawing, region.region, box)) highlighted.push(id);
      }
      lines.push('    end');
    }
    const present = new Set(groupsOf(region.boxes));
    for (const [from, to] of FLOWS)
      if (present.has(from) && present.has(to))
        lines.push(`    ${node(region.region, from)} --> ${node(region.region, to)}`);
    lines.push('  end');
  }
  if (highlighted.length > 0) {
    lines.push('  classDef added fill:#dcfce7,stroke:#15803d,stroke-width:2px');
    lines.push(`  class ${highlighted.join(',')} added`);
  }
  return `${lines.join('\n')}\n`;
}

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const BOX = { width: 200, height: 46, gap: 10 };
const COLUMN = BOX.width + 24;
const REGION_HEADER = 56;
const MARGIN = 16;

/** Cuts text to what fits a box at roughly 6.6 px a character (12 px sans-serif). */
function clip(text: string, width: number, charWidth: number): string {
  const max = Math.floor(width / charWidth);
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A self-contained SVG of a map, drawn here (no browser, no network, no fonts to fetch): a band
 * per region, a column per group, a box per kind of resource, highlighted boxes filled green.
 */
export function stageMapSvg(map: StageMap, drawing: StageMapDrawing = {}): string {
  // One column per group any region has, in the same place in every region, so they line up.
  const columnsOf = groupsOf(map.regions.flatMap((region) => region.boxes));
  const columns = Math.max(1, columnsOf.length);
  const width = MARGIN * 2 + columns * COLUMN;
  const parts: string[] = [];
  let y = MARGIN + 28;
  for (const region of map.regions) {
    const groups = groupsOf(region.boxes);
    const rows = Math.max(
      1,
      ...groups.map((group) => region.boxes.filter((box) => box.group === group).length),
    );
    const height = REGION_HEADER + rows * (BOX.height + BOX.gap) + 8;
    const regionAdded = drawing.highlight?.has(region.region) === true;
    parts.push(
      `<g class="region${regionAdded ? ' added' : ''}" data-region="${escapeXml(region.region)}">`,
      `<rect x="${MARGIN}" y="${y}" width="${width - 2 * MARGIN}" height="${height}" rx="10" class="region-frame"/>`,
      `<text x="${MARGIN + 12}" y="${y + 20}" class="region-name">${escapeXml(region.region)}</text>`,
    );
    groups.forEach((group) => {
      const x = MARGIN + 12 + columnsOf.indexOf(group) * COLUMN;
      parts.push(`<text x="${x}" y="${y + 42}" class="group-name">${escapeXml(group)}</text>`);
      region.boxes
        .filter((box) => box.group === group)
        .forEach((box, row) => {
          const top = y + REGION_HEADER - 6 + row * (BOX.height + BOX.gap);
          const added = isHighlighted(drawing, region.region, box);
          const local = drawing.local ? `local: ${box.localStandIn ?? 'not run locally'}` : '';
          parts.push(
            `<g class="box${added ? ' added' : ''}" data-box="${escapeXml(box.id)}">`,
            `<title>${escapeXml(boxText(box))}${local ? ` (${escapeXml(local)})` : ''}${added ? ' (added)' : ''}</title>`,
            `<rect x="${x}" y="${top}" width="${BOX.width}" height="${BOX.height}" rx="6"/>`,
            `<text x="${x + 8}" y="${top + (local ? 19 : 28)}" class="box-label">${escapeXml(clip(boxText(box), BOX.width - 16, 6.6))}</text>`,
            ...(local
              ? [
                  `<text x="${x + 8}" y="${top + 36}" class="box-local">${escapeXml(clip(local, BOX.width - 16, 5.6))}</text>`,
                ]
              : []),
            '</g>',
          );
        });
    });
    parts.push('</g>');
    y += height + MARGIN;
  }
  const height = y;
  const title = `Stage map: ${map.stage}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    '<style>',
    'text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;fill:#1f2937}',
    '.map-title{font-size:16px;font-weight:600}.region-name{font-size:14px;font-weight:600}',
    '.group-name{font-size:11px;text-transform:uppercase;letter-spacing:.05em;fill:#6b7280}',
    '.region-frame{fill:#f9fafb;stroke:#d1d5db}.region.added .region-frame{fill:#f0fdf4;stroke:#15803d;stroke-width:2}',
    '.box rect{fill:#fff;stroke:#9ca3af}.box.added rect{fill:#dcfce7;stroke:#15803d;stroke-width:2}',
    '.box-label{font-size:12px}.box-local{font-size:10px;fill:#4b5563;font-style:italic}',
    '</style>',
    `<text x="${MARGIN}" y="${MARGIN + 12}" class="map-title">${escapeXml(title)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
