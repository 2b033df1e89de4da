import { mcpResourceToFile, UnsupportedMCPValueError } from 'rx-anthropic/mcp';
import { base64, PDF, startInProcessServer, type InProcessServer } from './support/inProcessServer';

jest.setTimeout(10_000);

const bytesOf = async (file: File): Promise<Buffer> => Buffer.from(await file.arrayBuffer());

describe('mcpResourceToFile', () => {
  it('takes the bytes of a base64 blob, the MIME type, and the name from the URI', async () => {
    const file = mcpResourceToFile({ contents: [{ uri: 'file:///reports/q3.pdf', mimeType: 'application/pdf', blob: PDF }] });
    expect(file).toBeInstanceOf(File);
    expect(file.name).toBe('q3.pdf');
    expect(file.type).toBe('application/pdf');
    expect(await bytesOf(file)).toEqual(Buffer.from(PDF, 'base64'));
  });

  it('encodes text as UTF-8', async () => {
    const file = mcpResourceToFile({ contents: [{ uri: 'https://example.com/docs/notes.md?v=2#top', mimeType: 'text/markdown', text: 'À bientôt 🎉' }] });
    expect(file.name).toBe('notes.md');
    expect(file.type).toBe('text/markdown');
    expect((await bytesOf(file)).toString('utf8')).toBe('À bientôt 🎉');
  });

  it('names it "file" when the URI has no last path segment', () => {
    expect(mcpResourceToFile({ contents: [{ uri: 'file:///', text: 'x' }] }).name).toBe('file');
    expect(mcpResourceToFile({ contents: [{ uri: 'https://example.com/docs/', text: 'x' }] }).name).toBe('file');
    expect(mcpResourceToFile({ contents: [{ uri: 'memo://', text: 'x' }] }).name).toBe('file');
  });

  it('percent-decodes the name and reads URIs of any scheme', () => {
    expect(mcpResourceToFile({ contents: [{ uri: 'file:///My%20Report%20%C3%A9t%C3%A9.pdf', blob: base64('x') }] }).name).toBe('My Report été.pdf');
    expect(mcpResourceToFile({ contents: [{ uri: 'postgres://db/schemas/users.sql', text: 'x' }] }).name).toBe('users.sql');
  });

  it('leaves the type empty when the resource has no MIME type, and takes the first contents', () => {
    const file = mcpResourceToFile({ contents: [{ uri: 'file:///a.bin', blob: base64('a') }, { uri: 'file:///b.txt', mimeType: 'text/plain', text: 'b' }] });
    expect(file.name).toBe('a.bin');
    expect(file.type).toBe('');
  });

  it('takes types the Messages API would refuse (the Files API decides)', () => {
    expect(mcpResourceToFile({ contents: [{ uri: 'file:///data.json', mimeType: 'application/json', text: '{}' }] }).type).toBe('application/json');
  });

  it('fails on empty contents', () => {
    expect(() => mcpResourceToFile({ contents: [] })).toThrow(UnsupportedMCPValueError);
  });

  it('works on what a real server reads', async () => {
    const mcp: InProcessServer = await startInProcessServer();
    try {
      const file = mcpResourceToFile(await mcp.client.readResource({ uri: 'file:///logo.png' }));
      expect(file).toMatchObject({ name: 'logo.png', type: 'image/png' });
    } finally {
      await mcp.close();
    }
  });
});
