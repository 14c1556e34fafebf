import { readFileSync } from 'node:fs';
import { usageFields } from '../../cost/calculator.js';
import { CALCULATORS } from '../../cost/price.js';
import { type Command, CommandFailure, pricedRegionFlag, stringFlag, UsageError } from '../command.js';

/** One block per service, generated from its usage schema and wrapped to fit a terminal. */
function usageFieldsHelp(): string[] {
  const lines: string[] = [];
  // The longest service name and two spaces: no name may run into its fields.
  const indent = 2 + Math.max(...Object.keys(CALCULATORS).map((service) => service.length)) + 2;
  for (const [service, calculator] of Object.entries(CALCULATORS)) {
    let line = `  ${service.padEnd(indent - 2)}`;
    const fields = usageFields(calculator.schema);
    // A field and its note stay on one line unless the field alone is too long for one.
    const pieces = fields.flatMap((field, index) => {
      const piece = index < fields.length - 1 ? `${field},` : field;
      return indent + piece.length > 104 ? piece.split(' ') : [piece];
    });
    for (const piece of pieces) {
      if (line.length + piece.length > 104) {
        lines.push(line.trimEnd());
        line = ' '.repeat(indent);
      }
      line += `${piece} `;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** `growstack price`: one service's monthly bill from a usage file, or the price catalog. */
export const priceCommand: Command = {
  name: 'price',
  summary: "Price one AWS service's monthly usage, or list the price catalog",
  usage: 'growstack price (--usage FILE | --list) [--region R] [--json] [--strict]',
  help: [
    'Options:',
    '  --usage FILE   JSON with "service" and that service\'s quantities (below)',
    '  --list         print the price catalog with sources; prices read over 12 months ago are flagged',
    '  --region R     us-east-1 (default) or eu-west-1; a price unknown there is a line "not priced", never another region\'s',
    '  --json         {"service","region","totalUsd","complete","lines":[{"item","quantity","unit","unitPriceUsd","usd"}],',
    '                 "unpriced":[{"item","quantity","region","reason"}],"notes":[]}',
    '  --strict       exit 1 when any line is not priced',
    '',
    'Usage fields (* required; (x) the default, numbers default to 0; a|b the choices, the default first):',
    ...usageFieldsHelp(),
    '',
    'Each line is rounded to the cent before the total, as AWS bills.',
  ].join('\n'),
  options: {
    usage: { type: 'string' },
    list: { type: 'boolean' },
    region: { type: 'string' },
    json: { type: 'boolean' },
    strict: { type: 'boolean' },
  },
  async run(values, _positionals, io) {
    const region = pricedRegionFlag(values);
    if (values.list) {
      const { ageOf, priceCatalog } = await import('../../cost/prices.js');
      const today = new Date();
      const prices = priceCatalog().map((price) => ({ ...price, age: ageOf(price, today) }));
      if (values.json) {
        io.out(JSON.stringify(prices, null, 2));
        return 0;
      }
      for (const price of prices) {
        const value = price.usd ?? price.tiers?.map((tier) => tier.usd).join(' / ');
        const flag =
          price.age === 'current'
            ? ''
            : `  [${price.age === 'stale' ? 'OLDER THAN 12 MONTHS' : 'date not exact'}]`;
        const from =
          price.provenance === 'secondary'
            ? 'secondary data'
            : `${price.provenance === 'aws-price-list' ? 'AWS Price List' : 'AWS pricing page'} ${[price.offerCode, price.usageType ?? price.sku].filter(Boolean).join(' ')}`;
        io.out(
          `${price.region}  ${price.key.padEnd(40)} $${value} per ${price.per} ${price.unit}  (${price.sourceDate}, ${from})${flag}`,
        );
        io.out(`           source: ${price.source}`);
      }
      return 0;
    }
    const file = stringFlag(values, 'usage');
    if (!file) throw new UsageError('give --usage FILE or --list');
    let usage: unknown;
    try {
      usage = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(
        `--usage ${file}: ${error instanceof SyntaxError ? 'not valid JSON' : 'cannot be read'}`,
      );
    }
    const { priceUsage } = await import('../../cost/price.js');
    const bill = priceUsage(usage, region);
    const missing = bill.unpriced.length;
    const lines = `${missing} line${missing === 1 ? '' : 's'}`;
    if (values.json) io.out(JSON.stringify(bill, null, 2));
    else {
      // A bill with lines it could not price is never headlined as a total.
      io.out(
        missing === 0
          ? `${bill.service} in ${bill.region}: $${bill.totalUsd.toFixed(2)} a month`
          : bill.lines.length === 0
            ? `${bill.service} in ${bill.region}: not priced (${lines} ${missing === 1 ? 'has' : 'have'} no ${bill.region} price)`
            : `${bill.service} in ${bill.region}: incomplete: $${bill.totalUsd.toFixed(2)} a month priced, ${lines} not priced (${bill.unpriced.map((line) => line.item).join(', ')})`,
      );
      for (const line of bill.lines) {
        io.out(
          `  ${line.item.padEnd(42)} ${String(line.quantity).padStart(16)} ${line.unit.padEnd(40)} $${line.usd.toFixed(2).padStart(10)}`,
        );
      }
      for (const line of bill.unpriced)
        io.out(`  ${line.item.padEnd(42)} ${String(line.quantity).padStart(16)} not priced (${line.reason})`);
      for (const note of bill.notes) io.out(`  note: ${note}`);
    }
    if (values.strict && missing > 0)
      throw new CommandFailure(
        `--strict: ${lines} not priced in ${bill.region} (${bill.unpriced.map((line) => line.item).join(', ')})`,
      );
    return 0;
  },
};
