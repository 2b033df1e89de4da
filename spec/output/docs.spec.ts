import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';

import { createClient } from 'rx-anthropic';
import { createMockServer, type MockServer } from 'rx-anthropic/testing';

import { structuredOutput, structuredOutputScript } from '../../examples/structuredOutput';

let server: MockServer;
afterEach(async () => server?.close());

describe('docs/structured-output.md', () => {
  it('shows exactly what examples/structuredOutput.ts prints against the mock server', async () => {
    const doc = readFileSync(resolve(__dirname, '../../docs/structured-output.md'), 'utf8');
    const block = /<!-- structured-output:begin -->\n```text\n([\s\S]*?)\n```\n<!-- structured-output:end -->/.exec(doc)?.[1];
    server = await createMockServer(structuredOutputScript);
    const printed = (await lastValueFrom(structuredOutput(createClient({ baseURL: server.baseURL, apiKey: 'k' })).pipe(toArray()))).join('');
    expect(block).toBeDefined();
    expect(printed.trimEnd()).toBe(block);
  });
});
