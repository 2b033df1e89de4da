import * as t from 'io-ts';
import { connect, map, merge, type Observable } from 'rxjs';
import { described, finalOutput, outputFormat, partialOutput, type Client } from 'rx-anthropic';
import { textReply } from 'rx-anthropic/testing';
import { MODEL } from './hello';

/** What to pull out of an email: the codec is the output's type, its JSON Schema and its check. */
export const Contact = t.type({
  name: t.string,
  company: t.string,
  email: described(t.string, 'The address as written in the email'),
  phone: described(t.union([t.string, t.null]), 'null when the email gives none'),
  topics: described(t.array(t.string), 'What they want to talk about, a few words each'),
});
export type Contact = t.TypeOf<typeof Contact>;

/** Sent as `output_config.format`: `{ type: 'json_schema', schema }` on the wire, and it knows how to read the answer. */
export const contactFormat = outputFormat(Contact);

const EMAIL = `Hi! I'm Ada Byron from Analytical Engines Ltd. We'd love to talk about punch-card pricing
and a support plan. Write to ada@engines.example, or call +44 20 7946 0018. Best, Ada`;

/** The answer the mock server streams for this example when no API key is set. */
export const structuredOutputScript = [
  textReply(
    JSON.stringify({
      name: 'Ada Byron',
      company: 'Analytical Engines Ltd',
      email: 'ada@engines.example',
      phone: '+44 20 7946 0018',
      topics: ['punch-card pricing', 'support plan'],
    }),
    { chunkSize: 24 },
  ),
];

/**
 * Extracts a contact from an email with a structured output, from one request: the contact as it
 * fills in (what a form binds to), then the value checked by the codec.
 */
export function structuredOutput(client: Client): Observable<string> {
  return client.messages
    .stream({
      model: MODEL,
      max_tokens: 512,
      messages: [{ role: 'user', content: `Extract the sender's contact details:\n\n${EMAIL}` }],
      output_config: { format: contactFormat },
    })
    .pipe(
      connect((events) =>
        merge(
          events.pipe(
            partialOutput(contactFormat),
            map((contact) => `partial  ${JSON.stringify(contact)}\n`),
          ),
          events.pipe(
            finalOutput(contactFormat),
            map((contact: Contact) => `final    ${contact.name} <${contact.email}>, ${contact.topics.length} topics\n`),
          ),
        ),
      ),
    );
}
