import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandInfo } from './client-state.js';

export interface Asset {
  body: string;
  type: string;
}

export type Assets = Map<string, Asset>;

/** The page's shell: its script and style come from this server, nothing is inline. */
const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vps-bot playground</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/page.css">
<script type="module" src="/page.js"></script>
</head>
<body>
<div id="app"><p class="boot">Opening the playground…</p></div>
<noscript><p class="boot">The playground is a page of its own JavaScript: please turn JavaScript on.</p></noscript>
</body>
</html>
`;

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1f3a5f"/><path d="M8 11h16v4H8zm0 6h16v4H8z" fill="#fff"/></svg>`;

/** The checkout's root (where package.json and manifest.yml are), from the running file upwards. */
export function projectRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'manifest.yml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('the playground could not find the project (no package.json above it)');
    dir = parent;
  }
}

export class MissingBuild extends Error {}

/** The page as `npm run build` made it, under dist/playground/. */
export function loadAssets(root: string): Assets {
  const built = join(root, 'dist', 'playground');
  const read = (name: string) => {
    const path = join(built, name);
    if (!existsSync(path)) throw new MissingBuild(`${path} is missing: run npm run build (npm start does)`);
    return readFileSync(path, 'utf8');
  };
  const assets: Assets = new Map([
    ['/', { body: INDEX_HTML, type: 'text/html; charset=utf-8' }],
    ['/page.js', { body: read('page.js'), type: 'text/javascript; charset=utf-8' }],
    ['/page.css', { body: read('page.css'), type: 'text/css; charset=utf-8' }],
    ['/favicon.svg', { body: FAVICON, type: 'image/svg+xml' }],
  ]);
  if (existsSync(join(built, 'page.js.map'))) {
    assets.set('/page.js.map', { body: read('page.js.map'), type: 'application/json; charset=utf-8' });
  }
  return assets;
}

/** A double-quoted YAML scalar's value (the manifest quotes the hint; it has no escapes in it). */
function field(manifest: string, key: string): string | undefined {
  const match = new RegExp(`^\\s*-?\\s*${key}:\\s*(?:"([^"]*)"|(.+))$`, 'm').exec(manifest);
  return (match?.[1] ?? match?.[2])?.trim();
}

/** The slash command as the manifest declares it: what Slack's composer shows when `/` is typed. */
export function commandFromManifest(manifest: string): CommandInfo {
  const start = manifest.indexOf('slash_commands:');
  const commands = start < 0 ? '' : manifest.slice(start);
  return {
    name: field(commands, 'command') ?? '/vps',
    description: field(commands, 'description') ?? '',
    usageHint: field(commands, 'usage_hint') ?? '',
  };
}

export function readCommand(root: string): CommandInfo {
  return commandFromManifest(readFileSync(join(root, 'manifest.yml'), 'utf8'));
}
