import type { Command } from './command.js';
import { devCommand } from './commands/dev.js';
import { priceCommand } from './commands/price.js';
import { synthCommand } from './commands/synth.js';

/** Every `growstack` command, in the order `growstack --help` lists them. */
export const COMMANDS: readonly Command[] = [devCommand, synthCommand, priceCommand];
