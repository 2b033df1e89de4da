import { parseMultipart } from '../../lib/testing/parseMultipart';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('parseMultipart', () => {
  it('splits a CRLF body into named parts with filenames, types and data', () => {
    const body = Buffer.from(
      '--XyZ\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nuser_data\r\n' +
        '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a \\"b\\".txt"\r\nContent-Type: text/plain\r\n\r\nline 1\r\nline 2\r\n' +
        '--XyZ--\r\n',
    );
    const parts = parseMultipart(body, 'multipart/form-data; boundary=XyZ');
    expect(parts.map((part) => [part.name, part.filename, part.contentType, text(part.data)])).toEqual([
      ['purpose', undefined, undefined, 'user_data'],
      ['file', 'a "b".txt', 'text/plain', 'line 1\r\nline 2'],
    ]);
  });

  it('prefers filename* and accepts a quoted boundary and LF line ends', () => {
    const body = Buffer.from(
      "--b\nContent-Disposition: form-data; name=file; filename=\"x.txt\"; filename*=UTF-8''%C3%A9t%C3%A9.txt\n\nsummer\n--b--\n",
    );
    const [part] = parseMultipart(body, 'multipart/form-data; boundary="b"');
    expect(part?.filename).toBe('été.txt');
    expect(part?.name).toBe('file');
    expect(text(part?.data ?? new Uint8Array())).toBe('summer');
  });

  it('keeps binary data byte for byte', () => {
    const data = Buffer.from([0, 255, 13, 10, 45, 45, 1]);
    const body = Buffer.concat([
      Buffer.from('--q\r\nContent-Disposition: form-data; name="file"; filename="bin"\r\n\r\n'),
      data,
      Buffer.from('\r\n--q--\r\n'),
    ]);
    expect(Buffer.from(parseMultipart(body, 'multipart/form-data; boundary=q')[0]?.data ?? []).equals(data)).toBe(true);
  });

  it('gives no parts without a boundary', () => {
    expect(parseMultipart(Buffer.from('anything'), 'application/json')).toEqual([]);
  });
});
