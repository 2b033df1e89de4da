import { AnthropicError } from '../errors';

/**
 * What an {@link UnsupportedMCPValueError} found, besides its message.
 *
 * ## Example
 * ```ts
 * try {
 *   mcpResourceToContent(await mcpClient.readResource({ uri }));
 * } catch (error) {
 *   if (error instanceof UnsupportedMCPValueError) console.warn(error.kind, error.mimeType, error.uri);
 * }
 * ```
 */
export interface UnsupportedMCPValueDetails {
  /** The MCP kind of the value: `audio`, `resource_link`, `image`, `resource`, … */
  readonly kind: string;
  /** Its MIME type, when it has one. */
  readonly mimeType?: string | undefined;
  /** The URI of the resource it is or refers to. */
  readonly uri?: string | undefined;
}

/**
 * An MCP value the Anthropic API cannot take: audio, a resource link, an image type other than
 * JPEG, PNG, GIF and WebP, a resource whose MIME type is neither text, PDF nor such an image, or
 * an image or PDF resource given as text. The message names what it is and where it came from
 * (the tool, prompt or resource, the MIME type, the URI); `kind`, `mimeType` and `uri` carry
 * the same for code.
 *
 * ## Example
 * ```ts
 * try {
 *   content.push(mcpResourceToContent(await mcpClient.readResource({ uri })));
 * } catch (error) {
 *   if (!(error instanceof UnsupportedMCPValueError)) throw error;
 *   content.push({ type: 'text', text: `(${error.uri} skipped: ${error.mimeType} is not supported)` });
 * }
 * ```
 *
 * @see mcpResourceToContent
 * @see mcpTool
 */
export class UnsupportedMCPValueError extends AnthropicError {
  readonly kind: string;
  readonly mimeType: string | undefined;
  readonly uri: string | undefined;

  constructor(message: string, details: UnsupportedMCPValueDetails) {
    super(message);
    this.kind = details.kind;
    this.mimeType = details.mimeType;
    this.uri = details.uri;
  }
}
