import { HttpEventType, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideAnthropic } from 'rx-anthropic/angular';
import { proxyAuth, SESSION_TOKEN } from './app.config';
import { Chat } from './chat';

/** A reply as the API streams it: server-sent events, its text in two deltas. */
const frame = (event: { type: string }) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
const reply = [
  {
    type: 'message_start',
    message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 9, output_tokens: 1 } },
  },
  { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Streams are ' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'values over time.' } },
  { type: 'content_block_stop', index: 0 },
  { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 6 } },
  { type: 'message_stop' },
].map(frame);

/** Lets the streamed response reach the store. */
const settle = () => new Promise((resolve) => setTimeout(resolve));

describe('Chat', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(withInterceptors([proxyAuth])),
        provideHttpClientTesting(),
        provideAnthropic({ baseURL: 'https://app.test/api', params: { model: 'claude-sonnet-4-6', max_tokens: 1024 } }),
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
    expect(JSON.parse(request.request.body)).toMatchObject({ system: 'Answer in two sentences at most.', messages: [{ role: 'user', content: 'What is a stream?' }] });

    // Three events have come: the text has begun.
    const firstPart = reply.slice(0, 3).join('');
    request.event({ type: HttpEventType.DownloadProgress, loaded: firstPart.length, partialText: firstPart });
    await settle();
    expect(page.chat.busy()).toBe(true);
    expect(page.chat.text()).toBe('Streams are ');

    request.flush(reply.join(''));
    await settle();
    expect(page.chat.status()).toBe('done');
    expect(page.chat.messages().map(page.messageText)).toEqual(['What is a stream?', 'Streams are values over time.']);
    expect(page.chat.usage().outputTokens).toBe(6);
  });

  it('aborts the request on Stop', () => {
    const page = TestBed.runInInjectionContext(() => new Chat());
    page.ask('Tell me a long story');
    const request = TestBed.inject(HttpTestingController).expectOne('https://app.test/api/v1/messages');
    page.chat.stop();
    expect(request.cancelled).toBe(true);
    expect(page.chat.status()).toBe('stopped');
  });
});
