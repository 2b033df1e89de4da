import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file under `root` that `pathname` names (`index.html` for a folder), or `undefined` outside it. */
function fileIn(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const base = resolve(root);
  const file = resolve(join(base, decoded.endsWith('/') ? `${decoded}index.html` : decoded));
  // `..` and absolute segments cannot climb out of the root.
  return file === base || file.startsWith(base + sep) ? file : undefined;
}

/** URL prefixes (ending in `/`) and the folders served under them: `{ '/': 'public', '/dashboard/': 'examples/dashboard/dist' }`. */
export type StaticMounts = Readonly<Record<string, string>>;

/**
 * Serves `GET`/`HEAD` of a file under the folder mounted at the longest prefix of the path;
 * answers whether it did, so that the caller can send its own 404.
 */
export async function serveStatic(mounts: StaticMounts, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  for (const prefix of prefixes) {
    const root = mounts[prefix];
    if (root === undefined || !pathname.startsWith(prefix)) continue;
    const file = fileIn(root, `/${pathname.slice(prefix.length)}`);
    if (!file) continue;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) continue;
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else await pipeline(createReadStream(file), res).catch(() => undefined);
    return true;
  }
  return false;
}
