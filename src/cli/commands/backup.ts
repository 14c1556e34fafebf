import { type Command, stringFlag, UsageError } from '../command.js';
import { openTable, tableTargetHelp, tableTargetOptions } from '../table-target.js';

/** `growstack backup`: the whole table as gzip'd DynamoDB JSON lines plus a manifest. */
export const backupCommand: Command = {
  name: 'backup',
  summary: 'Write the whole table to a file (DynamoDB export format, gzip, with a manifest)',
  usage: 'growstack backup --out FILE [--table NAME] [--endpoint URL | --aws] [--json]',
  help: [
    'Options:',
    '  --out FILE       where to write; FILE.manifest.json is written beside it',
    ...tableTargetHelp,
    '  --json           print the manifest as JSON',
    '',
    'FILE holds one {"Item": {...}} line of DynamoDB JSON per item, gzip\'d, as DynamoDB\'s export',
    'to S3 writes them; the manifest holds the item count and the SHA-256 that restore checks.',
    'A table that may be written meanwhile (a running npm start, --endpoint, --aws) is read with',
    'consistent reads page by page: the manifest says "consistency": "live-scan", not a',
    'point-in-time snapshot (on AWS, point-in-time recovery and AWS Backup give one).',
  ].join('\n'),
  options: { out: { type: 'string' }, json: { type: 'boolean' }, ...tableTargetOptions },
  async run(values, _positionals, io) {
    const out = stringFlag(values, 'out');
    if (!out) throw new UsageError('--out FILE is required');
    const say = (line: string) => {
      if (!values.json) io.out(`• ${line}`);
    };
    const target = await openTable(values, say, { running: 'use' });
    try {
      const { backupTable, manifestPathOf } = await import('../../platform/backup/table-backup.js');
      say(`backing up ${target.table} (${target.where})`);
      const manifest = await backupTable(target.client, target.table, out, {
        source: target.where,
        live: target.live,
        progress: (items) => say(`${items} items read`),
      });
      if (values.json) io.out(JSON.stringify({ file: out, manifestFile: manifestPathOf(out), ...manifest }));
      else {
        io.out(`Wrote ${manifest.itemCount} items to ${out} (manifest ${manifestPathOf(out)}).`);
        if (manifest.consistency === 'live-scan')
          io.out(
            'The table was in service: a live scan with consistent reads, not a point-in-time snapshot.',
          );
      }
      return 0;
    } finally {
      await target.close();
    }
  },
};
