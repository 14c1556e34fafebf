#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx growstack` needs no build step;
// `dev` (what `npm start` runs) runs them compiled instead, rebuilt when a source changes
// (compiled-cli.mjs). GROWSTACK_COMPILED=0 runs `dev` through tsx too.
import module from 'node:module';
import { join } from 'node:path';
import { compiledEntry } from './compiled-cli.mjs';

// V8's compiled code for every module this process loads is kept on disk and reused while the
// file is unchanged (Node 22.1 on): a tenth of a second less of `npm start`'s CPU, spent while
// DynamoDB Local boots beside it on the same cores (npm run bench). NODE_COMPILE_CACHE, when
// set, chooses the folder, and NODE_DISABLE_COMPILE_CACHE=1 turns it off, as Node documents.
if (!process.env.NODE_COMPILE_CACHE && !process.env.NODE_DISABLE_COMPILE_CACHE)
  module.enableCompileCache?.(join(import.meta.dirname, '..', 'node_modules', '.cache', 'growstack', 'v8'));

// Growstack needs Node >= 22 locally while AWS runs Node 24; the SDK's notice about the Node
// versions its future releases drop is for upgrading, not for every start-up.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const argv = process.argv.slice(2);
const compiled =
  argv[0] === 'dev' && process.env.GROWSTACK_COMPILED !== '0'
    ? await compiledEntry(join(import.meta.dirname, '..'), 'src/cli/main.ts')
    : undefined;
// Only what is compiled may skip tsx: every other command may import TypeScript at run time
// (growstack.config.ts, the CDK app).
if (!compiled) (await import('tsx/esm/api')).register();
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
const { main } = await import(compiled ?? '../src/cli/main.ts');
process.exitCode = await main(argv);
