import type { Command } from './command.js';

/** Every `growstack` command, in the order `growstack --help` lists them. */
export const COMMANDS: readonly Command[] = [];
