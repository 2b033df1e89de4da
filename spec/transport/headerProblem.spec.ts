import { headerProblem } from '../../lib/transport/headerProblem';

const SECRET = 'sk-ant-header-secret';

describe('headerProblem', () => {
  it.each([['x-api-key', SECRET], ['x-api-key', `${SECRET}\n`], ['authorization', ` Bearer ${SECRET} `], ['x-latin-1', 'caf\u00e9']])('accepts %s: %j', (name, value) => {
    expect(headerProblem(name, value)).toBeUndefined();
  });

  it.each([
    ['a line break inside', `${SECRET}\nX-Injected: 1`],
    ['a carriage return inside', `${SECRET}\rX`],
    ['a NUL', `${SECRET}\u0000`],
    ['a character beyond Latin-1', `${SECRET}\u2026`],
  ])('refuses a value with %s, naming the header and not the value', (_, value) => {
    const problem = headerProblem('x-api-key', value);
    expect(problem).toBe('the x-api-key header contains a line break, a NUL or a character beyond Latin-1, which HTTP cannot send');
  });

  it('refuses a name HTTP does not allow, and a value that is not a string', () => {
    expect(headerProblem('x team', 'v')).toMatch(/^the header name "x team" is not a valid HTTP header name/);
    expect(headerProblem('', 'v')).toMatch(/^the header name "" is not/);
    expect(headerProblem('x-count', 3)).toBe("the x-count header's value is a number, not a string");
    expect(headerProblem('x-count', undefined)).toBe("the x-count header's value is undefined, not a string");
  });
});
