import { mcpResourceToContent, UnsupportedMCPValueError } from 'rx-anthropic/mcp';
import { PDF, PNG, startInProcessServer, type InProcessServer } from './support/inProcessServer';

jest.setTimeout(10_000);

/** The helper against resources a real server reads; every rule is also in convertContent.spec.ts. */

let mcp: InProcessServer;
beforeEach(async () => {
  mcp = await startInProcessServer();
});
afterEach(async () => mcp.close());

const read = (uri: string) => mcp.client.readResource({ uri });

describe('mcpResourceToContent with resources/read', () => {
  it('a text resource → a plain-text document', async () => {
    expect(mcpResourceToContent(await read('file:///notes.md'))).toEqual({
      type: 'document',
      source: { type: 'text', media_type: 'text/plain', data: '# Notes\n\nÀ bientôt' },
    });
  });

  it('a PDF blob → a base64 PDF document', async () => {
    expect(mcpResourceToContent(await read('file:///report.pdf'))).toEqual({
      type: 'document',
      source: { type: 'base64', media_type: 'application/pdf', data: PDF },
    });
  });

  it('a PNG blob → a base64 image block', async () => {
    expect(mcpResourceToContent(await read('file:///logo.png'), { cache_control: { type: 'ephemeral' } })).toEqual({
      type: 'image',
      source: { type: 'base64', media_type: 'image/png', data: PNG },
      cache_control: { type: 'ephemeral' },
    });
  });

  it('JSON → UnsupportedMCPValueError naming the MIME type and the URI', async () => {
    const resource = await read('file:///config.json');
    expect(() => mcpResourceToContent(resource)).toThrow(UnsupportedMCPValueError);
    expect(() => mcpResourceToContent(resource)).toThrow('it has application/json');
    expect(() => mcpResourceToContent(resource)).toThrow('file:///config.json');
  });

  it('JSON and text → the text one', async () => {
    expect(mcpResourceToContent(await read('file:///both.json'))).toMatchObject({ source: { type: 'text', data: 'a = 1' } });
  });
});
