import { type Command, stringFlag, UsageError } from '../command.js';
import { openTable, tableTargetHelp, tableTargetOptions } from '../table-target.js';

/** `growstack restore`: loads a backup into an empty table after checking it end to end. */
export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Load a backup into an empty table, after verifying its checksum and item count',
  usage: 'growstack restore --in FILE [--force] [--table NAME] [--endpoint URL | --aws] [--json]',
  help: [
    'Options:',
    '  --in FILE        a file written by growstack backup (FILE.manifest.json must be beside it)',
    '  --force          restore into a table that holds items (same keys are replaced, others stay)',
    ...tableTargetHelp,
    '  --json           print the manifest of what was restored as JSON',
    '',
    'The whole file is checked (SHA-256, gzip, every line, item count) before anything is written:',
    'a corrupt or truncated backup is refused and the table is left as it was.',
  ].join('\n'),
  options: {
    in: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    ...tableTargetOptions,
  },
  async run(values, _positionals, io) {
    const file = stringFlag(values, 'in');
    if (!file) throw new UsageError('--in FILE is required');
    const say = (line: string) => {
      if (!values.json) io.out(`• ${line}`);
    };
    const { readBackup, restoreTable } = await import('../../platform/backup/table-backup.js');
    // Check the file before starting anything: a bad backup should fail fast.
    await readBackup(file);
    const target = await openTable(values, say, { running: 'refuse' });
    try {
      say(`restoring into ${target.table} (${target.where})`);
      const manifest = await restoreTable(target.client, target.table, file, {
        force: values.force === true,
        progress: (written, total) => {
          if (written % 1000 < 25 || written === total) say(`${written}/${total} items written`);
        },
      });
      if (values.json) io.out(JSON.stringify({ file, restoredInto: target.table, ...manifest }));
      else io.out(`Restored ${manifest.itemCount} items into ${target.table}.`);
      return 0;
    } finally {
      await target.close();
    }
  },
};
