import * as t from 'io-ts';
import { map, timer, type Observable } from 'rxjs';
import { defineTool, described, type Client, type ToolLoopEvent } from 'rx-anthropic';
import { textReply, toolUseReply } from 'rx-anthropic/testing';
import { MODEL } from './hello';

/** A tool whose function returns an Observable: a (pretend) weather service answering after 50 ms. */
export const getWeather = defineTool({
  name: 'get_weather',
  description: 'The current weather in a city',
  input: t.type({
    city: described(t.string, 'The city, e.g. Paris'),
    units: described(t.union([t.literal('celsius'), t.literal('fahrenheit')]), 'Temperature units'),
  }),
  run: ({ city, units }) => timer(50).pipe(map(() => `${city}: 18°${units === 'celsius' ? 'C' : 'F'}, sunny`)),
});

/** The two turns the mock server plays for this example when no API key is set. */
export const weatherScript = [
  toolUseReply([{ id: 'toolu_weather', name: 'get_weather', input: { city: 'Paris', units: 'celsius' } }], { text: 'Let me check the weather. ' }),
  textReply('It is 18°C and sunny in Paris.'),
];

/** Runs the tool loop for one question and returns the lines to print: the text as it streams, each tool result, and the end. */
export function weather(client: Client): Observable<string> {
  return client.messages
    .toolLoop(
      { model: MODEL, max_tokens: 512, messages: [{ role: 'user', content: 'What is the weather in Paris, in celsius?' }] },
      { tools: [getWeather] },
    )
    .pipe(map(describeEvent));
}

function describeEvent(event: ToolLoopEvent): string {
  switch (event.type) {
    case 'content_block_delta':
      return event.delta.type === 'text_delta' ? event.delta.text : '';
    case 'tool_result':
      return `\n[tool_result ${event.name}: ${JSON.stringify(event.content)}]\n`;
    case 'tool_loop_end':
      return `\n[tool_loop_end: ${event.stop_reason} after ${event.iterations} requests, ${event.messages.length} messages]\n`;
    default:
      return '';
  }
}
