import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { lastValueFrom, toArray, type Observable } from 'rxjs';
import { createClient, type Client } from 'rx-anthropic';
import { createMockServer, type MockTurn } from 'rx-anthropic/testing';
import { approval, approvalScript, pretendUser } from '../../examples/approval';
import { pauseTurn, pauseTurnScript } from '../../examples/pauseTurn';
import { steering, steeringScript } from '../../examples/steering';
import { weather, weatherScript } from '../../examples/weather';

/** The outputs `docs/tools.md` shows are what the examples print today, offline. */
const guide = readFileSync(resolve(__dirname, '../../docs/tools.md'), 'utf8');

async function printed(script: readonly MockTurn[], example: (client: Client) => Observable<string>): Promise<string> {
  const server = await createMockServer(script);
  try {
    return (await lastValueFrom(example(createClient({ baseURL: server.baseURL, apiKey: 'k' })).pipe(toArray()))).join('');
  } finally {
    await server.close();
  }
}

describe('docs/tools.md', () => {
  it.each([
    ['examples/weather.ts', weatherScript, weather],
    ['examples/approval.ts', approvalScript, (client: Client) => approval(client, pretendUser)],
    ['examples/steering.ts', steeringScript, steering],
    ['examples/pauseTurn.ts', pauseTurnScript, pauseTurn],
  ] as const)('shows what %s prints', async (_name, script, example) => {
    const output = await printed(script, example);
    expect(guide).toContain(`\`\`\`text\n${output.replace(/^\n+/, '')}\`\`\``);
  });
});
