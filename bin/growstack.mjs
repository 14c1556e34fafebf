#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx growstack` needs no build step.
import { register } from 'tsx/esm/api';

// Growstack needs Node >= 22 locally while AWS runs Node 24; the SDK's notice about the Node
// versions its future releases drop is for upgrading, not for every start-up.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
// `growstack price --list | head` closes the pipe early: that is the reader's choice, not an error.
// A command that runs until stopped (dev) listens for SIGHUP: it stops its children first, since
// exiting here would leave DynamoDB Local serving with no one to stop it.
let stdoutGone = false;
process.stdout.on('error', (error) => {
  if (stdoutGone) return;
  if (error.code !== 'EPIPE') throw error;
  stdoutGone = true;
  if (process.listenerCount('SIGHUP') > 0) process.emit('SIGHUP', 'SIGHUP');
  else process.exit(0);
});
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
