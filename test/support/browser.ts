import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'growstack.mjs');
/** Screenshots for a person to look at; git-ignored. */
export const ARTIFACTS = join(ROOT, 'test', 'artifacts');

/** Debian's chromium; `.ci/run` installs it. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface DevServer {
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** Starts `growstack dev --port 0` (what `npm start` runs) on a fresh data folder, with `env` added. */
export function startDevServer(
  extraArgs: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): Promise<DevServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'growstack-browser-'));
  const child: ChildProcess = spawn(process.execPath, [BIN, 'dev', '--port', '0', ...extraArgs], {
    env: { ...process.env, ...env, GROWSTACK_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 90 s:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /web UI\s+(http:\/\/\S+?)\/\s/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          output: () => output,
          async stop() {
            child.kill('SIGTERM');
            await exited;
            rmSync(dataDir, { recursive: true, force: true });
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`growstack dev exited with ${code} before serving:\n${output}`));
    });
  });
}

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Every URL the browser asked for that is not on the server: must stay empty. */
  readonly foreignRequests: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Headless chromium with a fresh profile, pointed at the server. */
export async function openBrowser(baseURL: string): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'growstack-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    baseURL,
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
  });
  context.setDefaultTimeout(10_000);
  const foreignRequests: string[] = [];
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(baseURL) && !url.startsWith('data:')) foreignRequests.push(url);
  });
  const page = context.pages()[0] ?? (await context.newPage());
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    page,
    foreignRequests,
    screenshot: async (name) => {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Calls the server's API from the test, as a second client would. */
export async function apiCall<T>(
  server: DevServer,
  path: string,
  init: { method?: string; token?: string | null; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

/** The signed-in user's token, as the web app keeps it. */
export function tokenOf(page: Page): Promise<string | null> {
  // A string, so this Node-side file needs no DOM types.
  return page.evaluate<string | null>("localStorage.getItem('growstack.token')");
}
