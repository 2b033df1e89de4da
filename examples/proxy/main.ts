/**
 * Starts the proxy with the example pages: `npx tsx examples/proxy/main.ts`, then open
 * http://127.0.0.1:8787/ (the Angular app, once built: `npm run build:examples`) or
 * http://127.0.0.1:8787/dashboard/ (the dashboard). With `ANTHROPIC_API_KEY` set the proxy talks
 * to the API; without it, to the offline mock server, which streams slowly enough to watch and
 * plays the Angular app's scripted turns (its Allow / Deny tool and its recipe card).
 * `PORT` and `ANTHROPIC_MODEL` (one more model the pages may ask for) are read too; Express
 * instead of node:http with `--express`.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createClient } from 'rx-anthropic';
import { createMockServer, textReply } from 'rx-anthropic/testing';
import { angularExampleScript } from '../angular/scriptedTurns';
import { buildDashboard } from '../dashboard/build';
import { createExpressExampleServer } from './express';
import { createExampleServer } from './server';

const OFFLINE_REPLY =
  'This reply comes from the offline mock server, a few characters at a time, through the proxy: ' +
  'the server holds the API key, relays the raw events, and aborts the upstream ' +
  'request as soon as the page unsubscribes. Press stop to see it happen.';

async function main(): Promise<void> {
  const examples = resolve(dirname(resolve(process.argv[1]!)), '..');
  const online = Boolean(process.env['ANTHROPIC_API_KEY']?.trim());
  const offlineScript = angularExampleScript(() => textReply(OFFLINE_REPLY, { chunkSize: 3, chunkDelayMs: 30 }));
  const mock = online ? undefined : await createMockServer(offlineScript, { keepProcessAlive: true });
  const client = createClient(mock ? { apiKey: 'offline', baseURL: mock.baseURL } : {});

  const staticDirs: Record<string, string> = { '/dashboard/': await buildDashboard(join(examples, 'dashboard')) };
  const angular = join(examples, 'angular', 'dist', 'chat', 'browser');
  if (existsSync(join(angular, 'index.html'))) staticDirs['/'] = angular;

  const extraModel = process.env['ANTHROPIC_MODEL']?.trim();
  const start = process.argv.includes('--express') ? createExpressExampleServer : createExampleServer;
  const proxy = await start({
    client,
    port: Number(process.env['PORT'] ?? 8787),
    staticDirs,
    // Local development only: every caller on this machine may use it. The relay listens on
    // 127.0.0.1 and answers only to loopback names (allowedHosts) and pages of its own origin
    // (allowedOrigins), so other sites cannot reach it through a browser. Behind a login, answer
    // { user } from the session instead (docs/browsers.md).
    authorize: 'anyone',
    // What the pages ask for, and no more.
    allowedModels: ['claude-sonnet-4-6', 'claude-haiku-4-5', ...(extraModel ? [extraModel] : [])],
    maxTokens: 1024,
  });
  console.log(`proxy on ${proxy.url} → ${mock ? `the offline mock server (${mock.url}); set ANTHROPIC_API_KEY for the API` : client.baseURL}`);
  console.log(`  dashboard: ${proxy.url}/dashboard/`);
  console.log(staticDirs['/'] ? `  angular:   ${proxy.url}/` : '  angular:   not built (npm run build:examples)');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
