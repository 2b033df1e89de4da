import type { ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import { AnthropicError } from 'rx-anthropic';
import { mcpContent, mcpResourceToContent, mcpToolResult, UnsupportedMCPValueError, type MCPResourceContents } from 'rx-anthropic/mcp';
import { base64, PDF, PNG } from './support/inProcessServer';

/** The conversion table of the official SDKs, one row per test, through the public helpers. */

function failure(convert: () => unknown): UnsupportedMCPValueError {
  try {
    convert();
  } catch (error) {
    expect(error).toBeInstanceOf(UnsupportedMCPValueError);
    expect(error).toBeInstanceOf(AnthropicError);
    return error as UnsupportedMCPValueError;
  }
  throw new Error('expected an UnsupportedMCPValueError');
}

const embedded = (resource: MCPResourceContents): ContentBlock => ({ type: 'resource', resource });
const ephemeral = { cache_control: { type: 'ephemeral' as const } };

describe('content items (mcpContent)', () => {
  it('text → a text block', () => {
    expect(mcpContent({ type: 'text', text: 'hello' })).toEqual({ type: 'text', text: 'hello' });
  });

  it.each(['image/jpeg', 'image/png', 'image/gif', 'image/webp'])('an image of type %s → a base64 image block', (mimeType) => {
    expect(mcpContent({ type: 'image', data: PNG, mimeType })).toEqual({ type: 'image', source: { type: 'base64', media_type: mimeType, data: PNG } });
  });

  it.each(['image/svg+xml', 'image/bmp', 'image/tiff'])('an image of type %s → UnsupportedMCPValueError naming it', (mimeType) => {
    const error = failure(() => mcpContent({ type: 'image', data: PNG, mimeType }));
    expect(error.message).toContain(`"${mimeType}"`);
    expect(error.message).toContain('image/jpeg, image/png, image/gif, image/webp');
    expect(error).toMatchObject({ name: 'UnsupportedMCPValueError', kind: 'image', mimeType });
  });

  it('audio → UnsupportedMCPValueError', () => {
    const error = failure(() => mcpContent({ type: 'audio', data: base64('RIFF'), mimeType: 'audio/mpeg' }));
    expect(error.message).toBe('Unsupported MCP content type "audio" (audio/mpeg) in MCP content: the API takes no audio.');
  });

  it('a resource link → UnsupportedMCPValueError naming the URI and what to do', () => {
    const error = failure(() => mcpContent({ type: 'resource_link', uri: 'https://example.com/a.pdf', name: 'a', mimeType: 'application/pdf' }));
    expect(error.message).toContain('https://example.com/a.pdf');
    expect(error.message).toContain('mcpResourceToContent');
    expect(error).toMatchObject({ kind: 'resource_link', uri: 'https://example.com/a.pdf', mimeType: 'application/pdf' });
  });

  it('a kind a later protocol adds → UnsupportedMCPValueError naming it', () => {
    expect(failure(() => mcpContent({ type: 'video' } as unknown as ContentBlock)).kind).toBe('video');
  });

  it('puts cache_control on the block when asked', () => {
    expect(mcpContent({ type: 'text', text: 'hello' }, ephemeral)).toEqual({ type: 'text', text: 'hello', cache_control: { type: 'ephemeral' } });
    expect(mcpContent({ type: 'image', data: PNG, mimeType: 'image/png' }, ephemeral)).toMatchObject(ephemeral);
    expect(mcpContent(embedded({ uri: 'file:///a.txt', text: 'a' }), ephemeral)).toMatchObject(ephemeral);
  });
});

describe('embedded and read resources, in the order of the rules', () => {
  it('a supported image type as a blob → a base64 image block', () => {
    expect(mcpContent(embedded({ uri: 'file:///logo.webp', mimeType: 'image/webp', blob: PNG }))).toEqual({
      type: 'image',
      source: { type: 'base64', media_type: 'image/webp', data: PNG },
    });
  });

  it('a supported image type as text → UnsupportedMCPValueError (it must be a blob)', () => {
    const error = failure(() => mcpContent(embedded({ uri: 'file:///logo.png', mimeType: 'image/png', text: 'not bytes' })));
    expect(error.message).toBe('Image resource file:///logo.png (image/png) in MCP content must be a base64 blob, not text.');
  });

  it('application/pdf as a blob → a base64 PDF document', () => {
    expect(mcpContent(embedded({ uri: 'file:///r.pdf', mimeType: 'application/pdf', blob: PDF }))).toEqual({
      type: 'document',
      source: { type: 'base64', media_type: 'application/pdf', data: PDF },
    });
  });

  it('application/pdf as text → UnsupportedMCPValueError (it must be a blob)', () => {
    const error = failure(() => mcpContent(embedded({ uri: 'file:///r.pdf', mimeType: 'application/pdf', text: '%PDF' })));
    expect(error).toMatchObject({ kind: 'resource', mimeType: 'application/pdf', uri: 'file:///r.pdf' });
    expect(error.message).toContain('must be a base64 blob');
  });

  it('no MIME type → a plain-text document', () => {
    expect(mcpContent(embedded({ uri: 'file:///a', text: 'hello' }))).toEqual({
      type: 'document',
      source: { type: 'text', media_type: 'text/plain', data: 'hello' },
    });
  });

  it.each(['text/plain', 'text/markdown', 'text/csv', 'text/html'])('%s text → a plain-text document', (mimeType) => {
    expect(mcpContent(embedded({ uri: 'file:///a', mimeType, text: 'a,b' }))).toEqual({
      type: 'document',
      source: { type: 'text', media_type: 'text/plain', data: 'a,b' },
    });
  });

  it('a text/* blob → a plain-text document, the blob decoded as UTF-8', () => {
    expect(mcpContent(embedded({ uri: 'file:///a.md', mimeType: 'text/markdown', blob: base64('À bientôt — 🎉') }))).toEqual({
      type: 'document',
      source: { type: 'text', media_type: 'text/plain', data: 'À bientôt — 🎉' },
    });
  });

  it('a blob without MIME type → a plain-text document, decoded as UTF-8', () => {
    expect(mcpContent(embedded({ uri: 'file:///a', blob: base64('héllo') }))).toMatchObject({ source: { type: 'text', data: 'héllo' } });
  });

  it.each(['application/json', 'application/octet-stream', 'audio/wav', 'image/svg+xml', 'video/mp4'])(
    '%s → UnsupportedMCPValueError naming the MIME type and the URI',
    (mimeType) => {
      const error = failure(() => mcpContent(embedded({ uri: 'file:///data.bin', mimeType, text: 'x' })));
      expect(error.message).toBe(
        `Unsupported MIME type "${mimeType}" for resource file:///data.bin in MCP content: ` +
          'the API takes text/*, application/pdf, image/jpeg, image/png, image/gif, image/webp.',
      );
      expect(error).toMatchObject({ kind: 'resource', mimeType, uri: 'file:///data.bin' });
    },
  );
});

describe('mcpResourceToContent', () => {
  it('converts the first item with a supported MIME type', () => {
    const result = {
      contents: [
        { uri: 'file:///both', mimeType: 'application/json', text: '{"a":1}' },
        { uri: 'file:///both', mimeType: 'text/plain', text: 'a = 1' },
        { uri: 'file:///both', mimeType: 'application/pdf', blob: PDF },
      ],
    };
    expect(mcpResourceToContent(result)).toEqual({ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'a = 1' } });
  });

  it('fails listing the available types when none is supported', () => {
    const error = failure(() =>
      mcpResourceToContent({
        contents: [
          { uri: 'file:///data', mimeType: 'application/json', text: '{}' },
          { uri: 'file:///data', mimeType: 'application/xml', text: '<a/>' },
        ],
      }),
    );
    expect(error.message).toBe(
      'No supported MIME type in the contents of resource file:///data: it has application/json, application/xml; ' +
        'the API takes text/*, application/pdf, image/jpeg, image/png, image/gif, image/webp.',
    );
    expect(error.uri).toBe('file:///data');
  });

  it('fails on empty contents', () => {
    expect(failure(() => mcpResourceToContent({ contents: [] })).message).toBe('The resource has no contents.');
  });

  it('still applies the blob rule to the item it picked', () => {
    expect(failure(() => mcpResourceToContent({ contents: [{ uri: 'file:///a.png', mimeType: 'image/png', text: 'x' }] })).message).toContain(
      'must be a base64 blob',
    );
  });

  it('puts cache_control on the block when asked', () => {
    expect(mcpResourceToContent({ contents: [{ uri: 'file:///a.pdf', mimeType: 'application/pdf', blob: PDF }] }, ephemeral)).toMatchObject(ephemeral);
  });
});

describe('tool results (mcpToolResult)', () => {
  it('converts the content blocks', () => {
    expect(mcpToolResult({ content: [{ type: 'text', text: 'ok' }] })).toEqual({ content: [{ type: 'text', text: 'ok' }] });
  });

  it('isError: true → is_error with the converted content', () => {
    expect(mcpToolResult({ content: [{ type: 'text', text: 'no' }], isError: true })).toEqual({ content: [{ type: 'text', text: 'no' }], is_error: true });
  });

  it('empty content with structuredContent → its JSON text, also for an error', () => {
    expect(mcpToolResult({ content: [], structuredContent: { a: [1] } })).toEqual({ content: '{"a":[1]}' });
    expect(mcpToolResult({ content: [], structuredContent: { reason: 'x' }, isError: true })).toEqual({ content: '{"reason":"x"}', is_error: true });
  });

  it('content present wins over structuredContent', () => {
    expect(mcpToolResult({ content: [{ type: 'text', text: '{"a":1}' }], structuredContent: { a: 1 } })).toEqual({
      content: [{ type: 'text', text: '{"a":1}' }],
    });
  });

  it('a result of the 2024-10-07 protocol (toolResult) → its JSON text', () => {
    expect(mcpToolResult({ toolResult: { sum: 3 } })).toEqual({ content: '{"sum":3}' });
  });

  it('names the tool and the item in a conversion error', () => {
    const error = failure(() =>
      mcpToolResult({ content: [{ type: 'text', text: 'ok' }, { type: 'audio', data: '', mimeType: 'audio/ogg' }] }, { toolName: 'speak' }),
    );
    expect(error.message).toBe('Unsupported MCP content type "audio" (audio/ogg) in the result of tool "speak" (content[1]): the API takes no audio.');
  });

  it('puts cache_control on every block when asked', () => {
    const { content } = mcpToolResult({ content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }, ephemeral);
    expect(content).toEqual([
      { type: 'text', text: 'a', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'b', cache_control: { type: 'ephemeral' } },
    ]);
  });
});
