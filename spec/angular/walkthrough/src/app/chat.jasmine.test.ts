import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { OverloadedError } from 'rx-anthropic';
import { provideAnthropic } from 'rx-anthropic/angular';
import { proxyAuth, SESSION_TOKEN } from './app.config';
import { Chat } from './chat';

/** A reply as the API streams it: server-sent events. */
const frame = (event: { type: string }) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
const reply = [
  {
    type: 'message_start',
    message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 9, output_tokens: 1 } },
  },
  { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Streams are values over time.' } },
  { type: 'content_block_stop', index: 0 },
  { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 6 } },
  { type: 'message_stop' },
].map(frame);

/** Lets the streamed response reach the store. */
const settle = () => new Promise((resolve) => setTimeout(resolve));

describe('Chat (Angular 20, Jasmine)', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(withInterceptors([proxyAuth])),
        provideHttpClientTesting(),
        // maxRetries: 0, so that an error status fails at once instead of being retried.
        provideAnthropic({ baseURL: 'https://app.test/api', maxRetries: 0, params: { model: 'claude-sonnet-4-6', max_tokens: 1024 } }),
        { provide: SESSION_TOKEN, useValue: () => 'session-1' },
      ],
    });
  });

  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('streams the reply into the conversation', async () => {
    const page = TestBed.runInInjectionContext(() => new Chat());
    page.ask('What is a stream?');

    const request = TestBed.inject(HttpTestingController).expectOne('https://app.test/api/v1/messages');
    expect(request.request.headers.get('authorization')).toBe('Bearer session-1');
    expect(JSON.parse(request.request.body)).toEqual(jasmine.objectContaining({ system: 'Answer in two sentences at most.', messages: [{ role: 'user', content: 'What is a stream?' }] }));

    request.flush(reply.join(''));
    await settle();
    expect(page.chat.status()).toBe('done');
    expect(page.chat.messages().map(page.messageText)).toEqual(['What is a stream?', 'Streams are values over time.']);
  });

  it('shows the typed error of an overloaded API', async () => {
    const page = TestBed.runInInjectionContext(() => new Chat());
    page.ask('Are you there?');
    const request = TestBed.inject(HttpTestingController).expectOne('https://app.test/api/v1/messages');
    request.flush(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }), { status: 529, statusText: 'Overloaded' });
    await settle();
    expect(page.chat.status()).toBe('error');
    expect(page.chat.error() instanceof OverloadedError).toBe(true);
  });
});
