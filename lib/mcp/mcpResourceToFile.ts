import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { decodeBase64 } from './decodeBase64';
import { UnsupportedMCPValueError } from './UnsupportedMCPValueError';

/**
 * Converts a resource read with `resources/read` to a `File`, for `client.files.upload()`: the
 * first contents' bytes (a base64 blob decoded, or the text as UTF-8), its MIME type, and a name
 * from the last segment of its URI's path (percent-decoded; `file` when there is none). Any
 * MIME type goes: the Files API decides what it accepts.
 *
 * ## Example
 * ```ts
 * const resource = await mcpClient.readResource({ uri: 'file:///reports/q3.pdf' });
 * client.files.upload(mcpResourceToFile(resource)).subscribe((metadata) => console.log(metadata.id));
 * ```
 *
 * @param result The result of `mcpClient.readResource()`.
 * @return The file (named `q3.pdf`, of type `application/pdf` in the example).
 * @throws UnsupportedMCPValueError when the resource has no contents.
 * @see mcpResourceToContent
 */
export function mcpResourceToFile(result: Pick<ReadResourceResult, 'contents'>): File {
  const contents = result.contents[0];
  if (contents === undefined) throw new UnsupportedMCPValueError('The resource has no contents to make a file of.', { kind: 'resource' });
  const bytes = 'blob' in contents ? decodeBase64(contents.blob) : new TextEncoder().encode(contents.text);
  return new File([bytes], fileNameOf(contents.uri), contents.mimeType === undefined ? {} : { type: contents.mimeType });
}

/** The last segment of the URI's path, percent-decoded; `file` when the path has none. */
function fileNameOf(uri: string): string {
  let path: string;
  try {
    path = new URL(uri).pathname;
  } catch {
    // Not a URL the WHATWG parser takes: read the path by hand, without query or fragment.
    path = uri.replace(/[?#].*$/, '');
  }
  const segment = path.split('/').at(-1) ?? '';
  try {
    return decodeURIComponent(segment) || 'file';
  } catch {
    return segment || 'file';
  }
}
