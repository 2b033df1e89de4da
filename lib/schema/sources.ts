import * as t from 'io-ts';
import { openEnum, struct } from './combinators';
import { openUnion } from './openUnion';

/**
 * The media types an image block accepts.
 *
 * ## Example
 * ```ts
 * const mediaType: ImageMediaType = 'image/png';
 * ImageMediaType.decode('image/avif'); // right('image/avif'): unknown types pass
 * ```
 */
export const ImageMediaType = openEnum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
export type ImageMediaType = t.TypeOf<typeof ImageMediaType>;

const Base64ImageSourceCodec = struct('Base64ImageSource', { type: t.literal('base64'), media_type: ImageMediaType, data: t.string });
/**
 * Image bytes, base64-encoded.
 *
 * ## Example
 * ```ts
 * const source: Base64ImageSource = { type: 'base64', media_type: 'image/png', data: pngBytes.toString('base64') };
 * const block: ImageBlockParam = { type: 'image', source };
 * ```
 */
export interface Base64ImageSource extends t.TypeOf<typeof Base64ImageSourceCodec> {}
/** The io-ts codec of {@link Base64ImageSource}. */
export const Base64ImageSource: t.Type<Base64ImageSource> = Base64ImageSourceCodec;

const URLImageSourceCodec = struct('URLImageSource', { type: t.literal('url'), url: t.string });
/**
 * An image the API fetches from a URL.
 *
 * ## Example
 * ```ts
 * const source: URLImageSource = { type: 'url', url: 'https://example.com/cat.jpg' };
 * const block: ImageBlockParam = { type: 'image', source };
 * ```
 */
export interface URLImageSource extends t.TypeOf<typeof URLImageSourceCodec> {}
/** The io-ts codec of {@link URLImageSource}. */
export const URLImageSource: t.Type<URLImageSource> = URLImageSourceCodec;

const FileImageSourceCodec = struct('FileImageSource', { type: t.literal('file'), file_id: t.string });
/**
 * An image uploaded with the Files API.
 *
 * ## Example
 * ```ts
 * const source: FileImageSource = { type: 'file', file_id: metadata.id }; // from client.files.upload()
 * const block: ImageBlockParam = { type: 'image', source };
 * ```
 */
export interface FileImageSource extends t.TypeOf<typeof FileImageSourceCodec> {}
/** The io-ts codec of {@link FileImageSource}. */
export const FileImageSource: t.Type<FileImageSource> = FileImageSourceCodec;

/**
 * Where an image block's bytes come from: `base64`, `url` or `file` (other kinds pass through).
 *
 * ## Example
 * ```ts
 * const source: ImageSource = { type: 'base64', media_type: 'image/png', data: png.toString('base64') };
 * ```
 *
 * @see ImageBlockParam
 */
export const ImageSource = openUnion('ImageSource', { base64: Base64ImageSource, url: URLImageSource, file: FileImageSource });
export type ImageSource = t.TypeOf<typeof ImageSource>;

const Base64PDFSourceCodec = struct('Base64PDFSource', { type: t.literal('base64'), media_type: openEnum(['application/pdf']), data: t.string });
/**
 * A PDF, base64-encoded.
 *
 * ## Example
 * ```ts
 * const source: Base64PDFSource = { type: 'base64', media_type: 'application/pdf', data: pdfBytes.toString('base64') };
 * const block: DocumentBlockParam = { type: 'document', source };
 * ```
 */
export interface Base64PDFSource extends t.TypeOf<typeof Base64PDFSourceCodec> {}
/** The io-ts codec of {@link Base64PDFSource}. */
export const Base64PDFSource: t.Type<Base64PDFSource> = Base64PDFSourceCodec;

const PlainTextSourceCodec = struct('PlainTextSource', { type: t.literal('text'), media_type: openEnum(['text/plain']), data: t.string });
/**
 * A plain-text document.
 *
 * ## Example
 * ```ts
 * const source: PlainTextSource = { type: 'text', media_type: 'text/plain', data: 'The grass is green.' };
 * const block: DocumentBlockParam = { type: 'document', source, citations: { enabled: true } };
 * ```
 */
export interface PlainTextSource extends t.TypeOf<typeof PlainTextSourceCodec> {}
/** The io-ts codec of {@link PlainTextSource}. */
export const PlainTextSource: t.Type<PlainTextSource> = PlainTextSourceCodec;

const URLPDFSourceCodec = struct('URLPDFSource', { type: t.literal('url'), url: t.string });
/**
 * A PDF the API fetches from a URL.
 *
 * ## Example
 * ```ts
 * const source: URLPDFSource = { type: 'url', url: 'https://example.com/report.pdf' };
 * const block: DocumentBlockParam = { type: 'document', source };
 * ```
 */
export interface URLPDFSource extends t.TypeOf<typeof URLPDFSourceCodec> {}
/** The io-ts codec of {@link URLPDFSource}. */
export const URLPDFSource: t.Type<URLPDFSource> = URLPDFSourceCodec;

const FileDocumentSourceCodec = struct('FileDocumentSource', { type: t.literal('file'), file_id: t.string });
/**
 * A document uploaded with the Files API.
 *
 * ## Example
 * ```ts
 * const source: FileDocumentSource = { type: 'file', file_id: metadata.id }; // from client.files.upload()
 * const block: DocumentBlockParam = { type: 'document', source };
 * ```
 */
export interface FileDocumentSource extends t.TypeOf<typeof FileDocumentSourceCodec> {}
/** The io-ts codec of {@link FileDocumentSource}. */
export const FileDocumentSource: t.Type<FileDocumentSource> = FileDocumentSourceCodec;
