import type { Command } from './command.js';
import { devCommand } from './commands/dev.js';

/** Every `growstack` command, in the order `growstack --help` lists them. */
export const COMMANDS: readonly Command[] = [devCommand];
