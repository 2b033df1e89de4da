/** The image types the API takes, as an image block's `media_type`. */
export const SUPPORTED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;

/** One of {@link SUPPORTED_IMAGE_TYPES}. */
export type SupportedImageType = (typeof SUPPORTED_IMAGE_TYPES)[number];

/** Whether the API takes images of this MIME type. */
export function isSupportedImageType(mimeType: string | undefined): mimeType is SupportedImageType {
  return (SUPPORTED_IMAGE_TYPES as readonly (string | undefined)[]).includes(mimeType);
}

/** Whether a resource of this MIME type becomes a block: none (read as text), `text/*`, PDF, or a supported image. */
export function isSupportedResourceType(mimeType: string | undefined): boolean {
  return mimeType === undefined || mimeType.startsWith('text/') || mimeType === 'application/pdf' || isSupportedImageType(mimeType);
}

/** The supported types, for error messages. */
export const SUPPORTED_RESOURCE_TYPES_TEXT = `text/*, application/pdf, ${SUPPORTED_IMAGE_TYPES.join(', ')}`;
