import * as t from 'io-ts';
import { openEnum, struct } from './combinators';
import { openUnion } from './openUnion';

/** The media types an image block accepts. */
export const ImageMediaType = openEnum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
export type ImageMediaType = t.TypeOf<typeof ImageMediaType>;

const Base64ImageSourceCodec = struct('Base64ImageSource', { type: t.literal('base64'), media_type: ImageMediaType, data: t.string });
/** Image bytes, base64-encoded. */
export interface Base64ImageSource extends t.TypeOf<typeof Base64ImageSourceCodec> {}
/** The io-ts codec of {@link Base64ImageSource}. */
export const Base64ImageSource: t.Type<Base64ImageSource> = Base64ImageSourceCodec;

const URLImageSourceCodec = struct('URLImageSource', { type: t.literal('url'), url: t.string });
/** An image the API fetches from a URL. */
export interface URLImageSource extends t.TypeOf<typeof URLImageSourceCodec> {}
/** The io-ts codec of {@link URLImageSource}. */
export const URLImageSource: t.Type<URLImageSource> = URLImageSourceCodec;

const FileImageSourceCodec = struct('FileImageSource', { type: t.literal('file'), file_id: t.string });
/** An image uploaded with the Files API. */
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
/** A PDF, base64-encoded. */
export interface Base64PDFSource extends t.TypeOf<typeof Base64PDFSourceCodec> {}
/** The io-ts codec of {@link Base64PDFSource}. */
export const Base64PDFSource: t.Type<Base64PDFSource> = Base64PDFSourceCodec;

const PlainTextSourceCodec = struct('PlainTextSource', { type: t.literal('text'), media_type: openEnum(['text/plain']), data: t.string });
/** A plain-text document. */
export interface PlainTextSource extends t.TypeOf<typeof PlainTextSourceCodec> {}
/** The io-ts codec of {@link PlainTextSource}. */
export const PlainTextSource: t.Type<PlainTextSource> = PlainTextSourceCodec;

const URLPDFSourceCodec = struct('URLPDFSource', { type: t.literal('url'), url: t.string });
/** A PDF the API fetches from a URL. */
export interface URLPDFSource extends t.TypeOf<typeof URLPDFSourceCodec> {}
/** The io-ts codec of {@link URLPDFSource}. */
export const URLPDFSource: t.Type<URLPDFSource> = URLPDFSourceCodec;

const FileDocumentSourceCodec = struct('FileDocumentSource', { type: t.literal('file'), file_id: t.string });
/** A document uploaded with the Files API. */
export interface FileDocumentSource extends t.TypeOf<typeof FileDocumentSourceCodec> {}
/** The io-ts codec of {@link FileDocumentSource}. */
export const FileDocumentSource: t.Type<FileDocumentSource> = FileDocumentSourceCodec;
