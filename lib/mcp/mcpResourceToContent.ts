import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { resourceToBlock } from './convertContent';
import type { MCPBlock, MCPBlockOptions } from './mcpTypes';
import { isSupportedResourceType, SUPPORTED_RESOURCE_TYPES_TEXT } from './supportedMimeTypes';
import { UnsupportedMCPValueError } from './UnsupportedMCPValueError';

/**
 * Converts a resource read with `resources/read` to a block of a request message.
 *
 * A resource may come in several representations; the first whose MIME type the API takes
 * (none, `text/*`, `application/pdf`, JPEG, PNG, GIF, WebP) is used: an image must be a blob
 * and becomes an image block, a PDF must be a blob and becomes a base64 PDF document, text (a
 * blob is decoded as UTF-8) becomes a plain-text document.
 *
 * ## Example
 * ```ts
 * const resource = await mcpClient.readResource({ uri: 'file:///docs/guide.md' });
 * const messages: MessageParam[] = [
 *   { role: 'user', content: [mcpResourceToContent(resource, { cache_control: { type: 'ephemeral' } }), { type: 'text', text: 'Summarise.' }] },
 * ];
 * ```
 *
 * @param result The result of `mcpClient.readResource()`.
 * @param options `cache_control` for the block.
 * @return An image block, or a PDF or plain-text document block.
 * @throws UnsupportedMCPValueError when there are no contents, when none has a supported MIME
 * type (the message lists the available ones), or when an image or PDF is text.
 * @see mcpResourceToFile
 */
export function mcpResourceToContent(result: Pick<ReadResourceResult, 'contents'>, options: MCPBlockOptions = {}): MCPBlock {
  const supported = result.contents.find((contents) => isSupportedResourceType(contents.mimeType));
  if (supported === undefined) {
    const { uri, mimeType } = result.contents[0] ?? {};
    const available = result.contents.map((contents) => contents.mimeType ?? '(none)');
    const message =
      result.contents.length === 0
        ? 'The resource has no contents.'
        : `No supported MIME type in the contents of resource ${uri}: it has ${available.join(', ')}; the API takes ${SUPPORTED_RESOURCE_TYPES_TEXT}.`;
    throw new UnsupportedMCPValueError(message, { kind: 'resource', mimeType, uri });
  }
  return resourceToBlock(supported, options, 'read with resources/read');
}
