import type { Command } from './command.js';
import { adviseCommand } from './commands/advise.js';
import { backupCommand } from './commands/backup.js';
import { devCommand } from './commands/dev.js';
import { migrateCommand } from './commands/migrate.js';
import { planCommand } from './commands/plan.js';
import { priceCommand } from './commands/price.js';
import { pricesCommand } from './commands/prices.js';
import { restoreCommand } from './commands/restore.js';
import { synthCommand } from './commands/synth.js';

/** Every `growstack` command, in the order `growstack --help` lists them. */
export const COMMANDS: readonly Command[] = [
  devCommand,
  synthCommand,
  migrateCommand,
  planCommand,
  priceCommand,
  pricesCommand,
  adviseCommand,
  backupCommand,
  restoreCommand,
];
