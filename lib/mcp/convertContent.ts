import type { BlobResourceContents, ContentBlock, TextResourceContents } from '@modelcontextprotocol/sdk/types.js';
import type { CacheControl } from '../schema';
import { decodeBase64 } from './decodeBase64';
import type { MCPBlock, MCPBlockOptions } from './mcpTypes';
import { isSupportedImageType, SUPPORTED_IMAGE_TYPES, SUPPORTED_RESOURCE_TYPES_TEXT } from './supportedMimeTypes';
import { UnsupportedMCPValueError } from './UnsupportedMCPValueError';

/**
 * The contents of a resource as `resources/read` or an embedded resource gives it: text or a base64 blob.
 *
 * ## Example
 * ```ts
 * const contents: MCPResourceContents = { uri: 'file:///notes.md', mimeType: 'text/markdown', text: '# Notes' };
 * mcpResourceToContent({ contents: [contents] }); // a text document block
 * ```
 */
export type MCPResourceContents = TextResourceContents | BlobResourceContents;

/**
 * Converts one MCP content item (of a tool result or a prompt message) by the official SDKs'
 * table: text → text block; a JPEG, PNG, GIF or WebP image → base64 image block; an embedded
 * resource → {@link resourceToBlock}; audio, resource links, other image types and unknown kinds
 * → `UnsupportedMCPValueError`.
 *
 * @param where Where the item came from, for the error message (`in the result of tool "x"`).
 */
export function contentToBlock(content: ContentBlock, options: MCPBlockOptions, where: string): MCPBlock {
  const cache = cacheControlOf(options);
  switch (content.type) {
    case 'text':
      return { type: 'text', text: content.text, ...cache };
    case 'image':
      if (!isSupportedImageType(content.mimeType)) {
        throw new UnsupportedMCPValueError(
          `Unsupported image MIME type "${content.mimeType}" ${where}: the API takes ${SUPPORTED_IMAGE_TYPES.join(', ')}.`,
          { kind: 'image', mimeType: content.mimeType },
        );
      }
      return { type: 'image', source: { type: 'base64', media_type: content.mimeType, data: content.data }, ...cache };
    case 'resource':
      return resourceToBlock(content.resource, options, where);
    case 'audio':
      throw new UnsupportedMCPValueError(`Unsupported MCP content type "audio" (${content.mimeType}) ${where}: the API takes no audio.`, {
        kind: 'audio',
        mimeType: content.mimeType,
      });
    case 'resource_link':
      throw new UnsupportedMCPValueError(
        `Unsupported MCP content type "resource_link" (${content.uri}) ${where}: the API cannot follow MCP resource links; ` +
          'read the resource with readResource() and pass the result to mcpResourceToContent().',
        { kind: 'resource_link', mimeType: content.mimeType, uri: content.uri },
      );
    default: {
      // A kind a later MCP version adds: say which, rather than sending something the API refuses.
      const kind = String((content as { type?: unknown }).type);
      throw new UnsupportedMCPValueError(`Unsupported MCP content type "${kind}" ${where}.`, { kind });
    }
  }
}

/**
 * Converts the contents of a resource, by the rules in this order: a supported image type must
 * be a blob → base64 image block; `application/pdf` must be a blob → base64 PDF document; no
 * MIME type or `text/*` → plain-text document (a blob is decoded as UTF-8); anything else →
 * `UnsupportedMCPValueError` naming the MIME type and the URI.
 */
export function resourceToBlock(resource: MCPResourceContents, options: MCPBlockOptions, where: string): MCPBlock {
  const { mimeType, uri } = resource;
  const cache = cacheControlOf(options);
  const blob = 'blob' in resource ? resource.blob : undefined;
  if (isSupportedImageType(mimeType)) {
    if (blob === undefined) throw mustBeBlob('Image', mimeType, uri, where);
    return { type: 'image', source: { type: 'base64', media_type: mimeType, data: blob }, ...cache };
  }
  if (mimeType === 'application/pdf') {
    if (blob === undefined) throw mustBeBlob('PDF', mimeType, uri, where);
    return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: blob }, ...cache };
  }
  if (mimeType === undefined || mimeType.startsWith('text/')) {
    const data = 'text' in resource ? resource.text : new TextDecoder().decode(decodeBase64(resource.blob));
    return { type: 'document', source: { type: 'text', media_type: 'text/plain', data }, ...cache };
  }
  throw new UnsupportedMCPValueError(
    `Unsupported MIME type "${mimeType}" for resource ${uri} ${where}: the API takes ${SUPPORTED_RESOURCE_TYPES_TEXT}.`,
    { kind: 'resource', mimeType, uri },
  );
}

function mustBeBlob(what: string, mimeType: string, uri: string, where: string): UnsupportedMCPValueError {
  return new UnsupportedMCPValueError(`${what} resource ${uri} (${mimeType}) ${where} must be a base64 blob, not text.`, {
    kind: 'resource',
    mimeType,
    uri,
  });
}

function cacheControlOf(options: MCPBlockOptions): { cache_control?: CacheControl | null } {
  return options.cache_control === undefined ? {} : { cache_control: options.cache_control };
}
