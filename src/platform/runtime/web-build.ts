import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../contracts/errors.js';

/** The web UI's sources; `src/` and `dist/` both sit one folder below the repository root. */
export const WEB_DIR = resolve(import.meta.dirname, '..', '..', '..', 'web');

/** What the build is made from: a change to any of these makes web/dist stale. */
const SOURCES = [
  'src',
  'public',
  'index.html',
  'vite.config.ts',
  // Shared with the server: the ops console reads scrapes with the advisor's code.
  '../src/platform/prometheus-scrape.ts',
];

function newestSource(webDir: string): number {
  let newest = 0;
  const visit = (path: string) => {
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(path);
    } catch {
      return;
    }
    if (stats.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stats.mtimeMs);
  };
  for (const source of SOURCES) visit(join(webDir, source));
  return newest;
}

/** Why web/dist needs building, or null when it is up to date. */
function staleness(webDir: string): string | null {
  const index = join(webDir, 'dist', 'index.html');
  if (!existsSync(index)) return 'web/dist is missing';
  // A checkout without the sources (a deployed artefact) serves what it has.
  if (!existsSync(join(webDir, 'src'))) return null;
  return newestSource(webDir) > statSync(index).mtimeMs ? 'web/ changed since the last build' : null;
}

/**
 * Returns the folder of the built web UI, building it with Vite first when it is missing or older
 * than its sources (a fresh clone, or an edit since the last `npm run build`). The build goes to a
 * private folder that is then swapped into place, so a server never serves a half-written build.
 */
export async function ensureWebBuild(progress: (message: string) => void, webDir = WEB_DIR): Promise<string> {
  const dist = join(webDir, 'dist');
  const reason = staleness(webDir);
  if (!reason) return dist;
  progress(`building the web UI (${reason}; npm run build does this ahead of time)`);
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    throw new ConfigError(
      'the web UI is not built and Vite is not installed: run npm install, then npm start',
    );
  }
  const suffix = `${process.pid}-${Date.now()}`;
  const staging = join(webDir, `.dist-${suffix}`);
  const old = join(webDir, `.dist-old-${suffix}`);
  // Vite ships React's development build and esbuild's jsxDEV calls whenever NODE_ENV is not
  // `production` (a shell or test runner may have set it to `test`): a served build is a production one.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await vite.build({
      root: webDir,
      configFile: join(webDir, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: staging, emptyOutDir: true },
    });
    // Another server may have finished the same build meanwhile: then keep its copy.
    if (staleness(webDir)) {
      if (existsSync(dist)) renameSync(dist, old);
      renameSync(staging, dist);
    }
  } catch (error) {
    if (!existsSync(join(dist, 'index.html'))) throw error;
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    rmSync(staging, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
  return dist;
}
