/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// playwright-core's types name DOM types (its evaluate callbacks run in the page).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll } from 'vitest';
import type { Environment } from '../../src/config.js';
import { startArgs } from '../e2e/process.js';

const ROOT = resolve(import.meta.dirname, '../..');
export const RESULTS = join(ROOT, 'test-results');
const BANNER = /^Playground: open (http:\/\/127\.0\.0\.1:\d+\/)$/m;

/** The playground as `npm start` runs it with no Slack settings: the built bundle, its own process. */
export interface PlaygroundProcess {
  url: string;
  stateDir: string;
  child: ChildProcess;
  /** When the process was spawned (performance.now()). */
  spawnedAt: number;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export function tempStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'vps-playground-'));
}

export function spawnPlayground(
  options: { stateDir?: string; env?: Environment; args?: string[] } = {},
): PlaygroundProcess & { ready: Promise<string> } {
  const stateDir = options.stateDir ?? tempStateDir();
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...startArgs(), ...(options.args ?? [])], {
    cwd: ROOT,
    // Only what the test gives: no developer .env or shell setting leaks in.
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      PORT: '0',
      STATE_DIR: stateDir,
      SIMULATOR_SETTLE_SECONDS: '1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const ready = new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "Playground: open" line within 15 s; stdout: ${out}; stderr: ${err}`)),
      15_000,
    );
    const check = () => {
      const match = BANNER.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        new Error(`the playground exited (${code}) before it was ready; stdout: ${out}; stderr: ${err}`),
      );
    });
  });
  // A rejection nobody awaits (a test that expects the exit) is not an error.
  ready.catch(() => undefined);
  return {
    url: '',
    stateDir,
    child,
    spawnedAt,
    stdout: () => out,
    stderr: () => err,
    exited,
    ready,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export async function startPlayground(
  options: { stateDir?: string; env?: Environment } = {},
): Promise<PlaygroundProcess> {
  const started = spawnPlayground(options);
  const url = await started.ready;
  return { ...started, url };
}

/**
 * One Chromium for the calling test file, launched by the first test that needs it (without Chromium
 * every test fails with the reason, none skips) and closed after the file's last test.
 */
export function chromiumForThisFile(): () => Promise<Browser> {
  let launching: Promise<Browser> | undefined;
  afterAll(async () => {
    const browser = await launching?.catch(() => undefined);
    await browser?.close();
  });
  return () => {
    launching ??= launchChromium();
    return launching;
  };
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless. A machine without it fails the browser tests, loudly: they never skip. */
export async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (error) {
    throw new Error(
      `The browser tests need Chromium and could not start ${CHROMIUM} (install it: apt-get install -y chromium, as .ci/run does; or set CHROMIUM_PATH). ${String(error).slice(0, 500)}`,
    );
  }
}

/** A person at the playground: a fresh browser profile on its page. */
export interface Person {
  page: Page;
  context: BrowserContext;
  pg: PlaygroundProcess;
  /** Dialogs (alert, confirm) the page opened: a script ran. */
  scriptDialogs: string[];
}

export async function openPage(browser: Browser, pg: PlaygroundProcess): Promise<Person> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const scriptDialogs: string[] = [];
  page.on('dialog', (dialog) => {
    scriptDialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(pg.url);
  await composer(page).waitFor();
  return { page, context, pg, scriptDialogs };
}

/** Runs a scenario against a fresh playground and page; on a failure, a screenshot under test-results/. */
export async function scenario(
  browser: () => Promise<Browser>,
  name: string,
  run: (person: Person) => Promise<void>,
  options: { stateDir?: string; env?: Environment } = {},
): Promise<void> {
  const pg = await startPlayground(options);
  let person: Person | undefined;
  try {
    person = await openPage(await browser(), pg);
    await run(person);
  } catch (error) {
    if (person) {
      mkdirSync(RESULTS, { recursive: true });
      const file = join(RESULTS, `${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
      await person.page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      console.error(`screenshot of the failure: ${file}`);
    }
    throw error;
  } finally {
    await person?.context.close();
    await pg.stop();
    // A state directory the test gave is the test's to keep for a restart.
    if (options.stateDir === undefined) rmSync(pg.stateDir, { recursive: true, force: true });
  }
}

// What a person sees, found as they would find it: by role and accessible name.

export function composer(page: Page, channel = '#ops'): Locator {
  return page.getByRole('textbox', { name: `Message ${channel}` });
}

export function messages(page: Page, channel = '#ops'): Locator {
  return page.getByRole('log', { name: `Messages in ${channel}` });
}

export function message(page: Page, text: string | RegExp, channel = '#ops'): Locator {
  return messages(page, channel).getByRole('article').filter({ hasText: text });
}

export async function send(page: Page, text: string, channel = '#ops'): Promise<void> {
  const box = composer(page, channel);
  await box.fill(text);
  await box.press('Enter');
}

export async function become(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  await page.getByRole('button', { name: new RegExp(`^${name}`), pressed: true }).waitFor();
}
