import { redactURLCredentials } from '../../lib/transport/redactURLCredentials';

describe('redactURLCredentials', () => {
  it.each([
    ['https://admin:hunter2@proxy.example.com/v1', 'https://***@proxy.example.com/v1'],
    ['https://token@proxy.example.com', 'https://***@proxy.example.com'],
    ['admin:hunter2@api.anthropic.com', '***@api.anthropic.com'],
    ['//admin:hunter2@api.anthropic.com/x', '//***@api.anthropic.com/x'],
    ['http://a:b@c@host:8080/p?q=1', 'http://***@host:8080/p?q=1'],
  ])('redacts the credentials of %j', (url, redacted) => {
    expect(redactURLCredentials(url)).toBe(redacted);
  });

  it.each([['https://api.anthropic.com'], ['https://proxy.example.com/team@example/v1'], ['https://host/?email=a@b.c'], ['https://host/#me@x'], ['not a url'], ['']])(
    'leaves %j as it is',
    (url) => {
      expect(redactURLCredentials(url)).toBe(url);
    },
  );
});
