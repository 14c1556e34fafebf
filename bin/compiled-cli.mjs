// `npm start` runs precompiled JavaScript instead of transpiling TypeScript module by module.
//
// Through tsx every one of the ~300 source modules goes through loader hooks on another thread
// and a transform-cache lookup: about 0.3 s before DynamoDB Local can even be launched, and more
// while the app loads beside it on a 2-core machine. esbuild bundles the sources (dependencies
// stay imports from node_modules) in ~0.2 s, so the bundle is rebuilt whenever a source file it
// was built from changes, and a start checks that with one stat per file instead of a transform.
//
// Builds go to node_modules/.cache/growstack/<name>/build-*/ (the usual place for a tool's
// cache: gone with node_modules, never committed); `current.json` names the newest and the
// inputs it was built from, written by rename so concurrent starts never read half of it. A
// build that another start may still be loading chunks from is kept: the newest few stay.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Builds kept besides the current one, for starts still loading chunks from an older build. */
const KEEP_BUILDS = 4;

/** This file: a change to how the bundle is made remakes it. */
const BUILDER = fileURLToPath(import.meta.url);

/** Files that change the output without being bundled inputs. */
const CONFIG_INPUTS = ['tsconfig.json', 'package.json'];

/**
 * The file URL of the compiled `entry` (relative to `root`), built now if any source it was
 * built from changed; undefined when it cannot be built here (esbuild missing, a build error),
 * in which case the caller runs the sources through tsx as before.
 */
export async function compiledEntry(root, entry, name = 'cli') {
  const cacheDir = join(root, 'node_modules', '.cache', 'growstack', name);
  const current = readCurrent(cacheDir);
  if (
    current &&
    current.root === root &&
    current.entry === entry &&
    current.builder === signatureOf(BUILDER) &&
    inputsUnchanged(root, current.inputs)
  )
    return pathToFileURL(join(cacheDir, current.dir, current.output)).href;
  try {
    return await build(root, entry, cacheDir);
  } catch (error) {
    if (process.env.GROWSTACK_DEBUG_COMPILE)
      process.stderr.write(`growstack: running the sources through tsx: ${error?.message ?? error}\n`);
    return undefined;
  }
}

function readCurrent(cacheDir) {
  try {
    return JSON.parse(readFileSync(join(cacheDir, 'current.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

function signatureOf(file) {
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats ? `${stats.size}:${stats.mtimeMs}` : 'missing';
}

function inputsUnchanged(root, inputs) {
  if (!Array.isArray(inputs) || inputs.length === 0) return false;
  return inputs.every(([file, signature]) => signatureOf(join(root, file)) === signature);
}

/**
 * `import.meta.url` and `import.meta.dirname` name the source file, as they do under tsx: the
 * modules that find files beside themselves (prices, the web folder, DynamoDB Local's jar) must
 * find the same files from the bundle.
 */
function sourceLocationPlugin(esbuild) {
  return {
    name: 'source-location',
    setup(build) {
      // Packages are external, so only our own sources reach here; the rest esbuild loads itself.
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta')) return undefined;
        // `define` replaces the expressions only, never the same text inside a string.
        const { code } = await esbuild.transform(source, {
          loader: 'ts',
          format: 'esm',
          sourcefile: args.path,
          define: {
            'import.meta.dirname': JSON.stringify(dirname(args.path)),
            'import.meta.filename': JSON.stringify(args.path),
            'import.meta.url': JSON.stringify(pathToFileURL(args.path).href),
          },
        });
        return { contents: code, loader: 'js' };
      });
    },
  };
}

async function build(root, entry, cacheDir) {
  const esbuild = await import('esbuild');
  const dir = `build-${Date.now()}-${randomBytes(4).toString('hex')}`;
  const outdir = join(cacheDir, dir);
  mkdirSync(outdir, { recursive: true });
  // Signatures are taken before the build: a file saved during it is then seen as changed.
  const builder = signatureOf(BUILDER);
  const configInputs = CONFIG_INPUTS.map((file) => [file, signatureOf(join(root, file))]);
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [join(root, entry)],
    outdir,
    bundle: true,
    // Each dynamic import stays a chunk loaded when reached, so `dev` never loads what only
    // `plan` or `synth` needs (a bundle without splitting hoists every dependency import).
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    // Dependencies stay imports from node_modules: bundled, they would evaluate in another
    // order (zod's OpenAPI extension must run before any schema is built) and the stand-ins
    // that find files beside themselves would look in the cache.
    packages: 'external',
    metafile: true,
    // Readable stacks: names and layout kept, one comment per source file.
    minify: false,
    logLevel: 'silent',
    tsconfig: join(root, 'tsconfig.json'),
    plugins: [sourceLocationPlugin(esbuild)],
  });
  const inputs = [
    ...configInputs,
    ...Object.keys(result.metafile.inputs)
      .filter((file) => !file.startsWith('node_modules/'))
      .map((file) => [file, signatureOf(resolve(root, file))]),
  ];
  // Each dynamic import is an entry point of its own: the output wanted is the one for `entry`.
  const output = Object.entries(result.metafile.outputs).find(
    ([, meta]) => meta.entryPoint && resolve(root, meta.entryPoint) === resolve(root, entry),
  )?.[0];
  if (!output) throw new Error('esbuild wrote no entry point');
  const current = {
    root,
    entry,
    builder,
    dir,
    output: relative(outdir, resolve(root, output)),
    inputs,
  };
  const temporary = join(cacheDir, `current.json.${process.pid}.${randomBytes(4).toString('hex')}`);
  writeFileSync(temporary, JSON.stringify(current));
  renameSync(temporary, join(cacheDir, 'current.json'));
  pruneBuilds(cacheDir, dir);
  return pathToFileURL(join(outdir, current.output)).href;
}

function pruneBuilds(cacheDir, keep) {
  const builds = readdirSync(cacheDir)
    .filter((entry) => entry.startsWith('build-') && entry !== keep)
    .sort()
    .reverse();
  for (const old of builds.slice(KEEP_BUILDS)) rmSync(join(cacheDir, old), { recursive: true, force: true });
}
