#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx growstack` needs no build step.
import { register } from 'tsx/esm/api';

// Growstack needs Node >= 22 locally while AWS runs Node 24; the SDK's notice about the Node
// versions its future releases drop is for upgrading, not for every start-up.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
// `growstack price --list | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
