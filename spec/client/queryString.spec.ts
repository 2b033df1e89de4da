import { queryString } from '../../lib/client/queryString';
import { resourcePath } from '../../lib/client/resourcePath';
import { InvalidArgumentError } from '../../lib/errors';

describe('queryString', () => {
  it('writes the parameters in order, arrays as name[] once per value, and leaves out undefined and null', () => {
    expect(queryString({ ids: ['a', 'b'], limit: 2, page: undefined, before_id: null, flag: true })).toBe('?ids%5B%5D=a&ids%5B%5D=b&limit=2&flag=true');
  });

  it('is empty when there is nothing to send', () => {
    expect(queryString({})).toBe('');
    expect(queryString({ page: undefined })).toBe('');
  });

  it("percent-encodes all but A-Z a-z 0-9 - . _ ~, as RFC 3986 (and the official SDK's qs) asks", () => {
    expect(queryString({ page: "a b&c=d/!'()*~._-" })).toBe('?page=a%20b%26c%3Dd%2F%21%27%28%29%2A~._-');
  });
});

describe('resourcePath', () => {
  it('encodes the id as one path segment, keeping what a segment may hold', () => {
    expect(resourcePath('/v1/files/', 'file_01', 'file id')).toBe('/v1/files/file_01');
    expect(resourcePath('/v1/files/', 'a/b c?d#e', 'file id', '/content')).toBe('/v1/files/a%2Fb%20c%3Fd%23e/content');
    expect(resourcePath('/v1/models/', "x:y@z'", 'model id')).toBe("/v1/models/x:y@z'");
  });

  it.each([[''], ['.'], ['..'], [undefined], [42]])('refuses %p with an InvalidArgumentError naming the argument', (id) => {
    expect(() => resourcePath('/v1/files/', id, 'file id')).toThrow(InvalidArgumentError);
    expect(() => resourcePath('/v1/files/', id, 'file id')).toThrow('The file id must be a non-empty string');
  });
});
