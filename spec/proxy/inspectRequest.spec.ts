import { ProxyRefusalError } from 'rx-anthropic/proxy';
import { inspectRequest, type InspectionPolicy } from '../../lib/proxy/inspectRequest';
import { thrownRefusal } from './support/thrownRefusal';

const policy: InspectionPolicy = {
  allowedContentTypes: ['text', 'image', 'document', 'tool_use', 'tool_result', 'server_tool_use', 'search_result'],
  allowedToolTypes: ['custom'],
};

const user = (content: unknown) => ({ role: 'user', content });
const assistant = (content: unknown) => ({ role: 'assistant', content });
const request = (fields: Record<string, unknown>) => ({ model: 'claude-test', max_tokens: 64, messages: [user('Hi')], ...fields });

/** The refusal `inspectRequest` throws, or `undefined`. */
const refusalOf = (params: Record<string, unknown>, with_: InspectionPolicy = policy): ProxyRefusalError | undefined => thrownRefusal(() => inspectRequest(params, with_));

describe('inspectRequest', () => {
  it('lets a plain request through and names no files', () => {
    expect(inspectRequest(request({}), policy)).toEqual([]);
    expect(inspectRequest(request({ system: 'Be brief.', tools: [{ name: 'lookup', input_schema: { type: 'object' } }] }), policy)).toEqual([]);
  });

  describe('content blocks', () => {
    it('refuses a block type not allowed, in any message of any role, with its path', () => {
      const refusal = refusalOf(request({ messages: [user('Hi'), assistant([{ type: 'text', text: 'a' }, { type: 'web_search_tool_result', content: [] }])] }));
      expect(refusal?.status).toBe(403);
      expect(refusal?.message).toBe(
        'The content block type "web_search_tool_result" (at messages.1.content.1) is not allowed by this proxy; allowed content types: ' +
          `${policy.allowedContentTypes.join(', ')}.`,
      );
    });

    it('refuses a nested block inside a tool_result', () => {
      const messages = [user([{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'ok' }, { type: 'container_upload', file_id: 'f' }] }])];
      const refusal = refusalOf(request({ messages }));
      expect(refusal?.status).toBe(403);
      expect(refusal?.message).toContain('"container_upload" (at messages.0.content.0.content.1)');
      const allowed = [user([{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'ok' }] }])];
      expect(refusalOf(request({ messages: allowed }))).toBeUndefined();
    });

    it('refuses a nested block inside a document source, as an array or a single object', () => {
      const inArray = [user([{ type: 'document', source: { type: 'content', content: [{ type: 'text', text: 'a' }, { type: 'redacted_thinking', data: 'x' }] } }])];
      expect(refusalOf(request({ messages: inArray }))?.message).toContain('(at messages.0.content.0.source.content.1)');
      const asObject = [user([{ type: 'document', source: { type: 'content', content: { type: 'redacted_thinking', data: 'x' } } }])];
      expect(refusalOf(request({ messages: asObject }))?.message).toContain('(at messages.0.content.0.source.content)');
    });

    it('refuses an element of a content array that is not a block, with 400', () => {
      const refusal = refusalOf(request({ messages: [user(['just a string'])] }));
      expect(refusal?.status).toBe(400);
      expect(refusal?.message).toContain('messages.0.content.0 must be a content block');
      expect(refusalOf(request({ messages: [user([{ text: 'no type' }])] }))?.status).toBe(400);
    });

    it('checks every block of a system array, and the blocks nested in it', () => {
      expect(refusalOf(request({ system: [{ type: 'text', text: 'a' }] }))).toBeUndefined();
      expect(refusalOf(request({ system: [{ type: 'text', text: 'a' }, { type: 'thinking', thinking: 'x' }] }))?.message).toContain('(at system.1)');
      expect(refusalOf(request({ system: [{ type: 'search_result', content: [{ type: 'thinking' }] }] }))?.message).toContain('(at system.0.content.0)');
    });

    it('refuses blocks everywhere under messages, but leaves a content key outside messages to the params check', () => {
      expect(refusalOf(request({ metadata: { content: [{ type: 'thinking' }] } }))).toBeUndefined();
    });
  });

  describe('tool definitions', () => {
    it('refuses a top-level tool whose type is not allowed, by name or position', () => {
      expect(refusalOf(request({ tools: [{ name: 'lookup', input_schema: {} }, { type: 'web_search_20250305', name: 'web_search' }] }))?.message).toBe(
        'The tool "web_search" of type "web_search_20250305" is not allowed by this proxy; allowed tool types: custom.',
      );
      expect(refusalOf(request({ tools: [{ type: 'bash_20250124' }] }))?.message).toContain('The tool at tools.0 of type "bash_20250124"');
      expect(refusalOf(request({ tools: [{ name: 'x', type: 7 }] }))?.status).toBe(403);
    });

    it('takes a tool without a type as custom, and refuses custom tools when custom is not allowed', () => {
      expect(refusalOf(request({ tools: [{ name: 'lookup', input_schema: {} }] }))).toBeUndefined();
      expect(refusalOf(request({ tools: [{ name: 'lookup', input_schema: {} }] }), { ...policy, allowedToolTypes: [] })?.message).toContain('allowed tool types: none.');
    });

    it('refuses a tools array or a tool_definition anywhere', () => {
      expect(refusalOf(request({ mcp_servers: [{ name: 'm', tools: [{ type: 'bash_20250124' }] }] }))?.message).toContain('at mcp_servers.0.tools.0');
      expect(refusalOf(request({ extra: { deep: { tool_definition: { type: 'text_editor_20250728', name: 'edit' } } } }))?.message).toContain('"edit" of type "text_editor_20250728"');
      expect(refusalOf(request({ extra: { tool_definition: { name: 'fine' } } }))).toBeUndefined();
      const inMessage = [user([{ type: 'text', text: 'a', tool_definition: { type: 'computer_20250124' } }])];
      expect(refusalOf(request({ messages: inMessage }))?.message).toContain('at messages.0.content.0.tool_definition');
    });

    it('refuses, in messages, an object with a versioned tool type or an input_schema', () => {
      const versioned = [user([{ type: 'text', text: 'a', extra: { type: 'web_fetch_20250910' } }])];
      expect(refusalOf(request({ messages: versioned }))?.message).toContain('The tool at messages.0.content.0.extra of type "web_fetch_20250910"');
      const withSchema = [user([{ type: 'text', text: 'a', extra: { name: 'sneaky', input_schema: { type: 'object' } } }])];
      expect(refusalOf(request({ messages: withSchema }))).toBeUndefined();
      expect(refusalOf(request({ messages: withSchema }), { ...policy, allowedToolTypes: [] })?.message).toContain('The tool "sneaky" of type "custom"');
    });
  });

  describe('data that is not walked', () => {
    const tricky = { type: 'bash_20250124', tools: [{ type: 'web_search_20250305' }], tool_definition: { type: 'computer_20250124' }, file_id: 42, content: [{ type: 'thinking' }] };

    it.each(['tool_use', 'server_tool_use'])('a %s block’s input', (type) => {
      const messages = [user('Hi'), assistant([{ type, id: 'toolu_1', name: 'run', input: tricky }])];
      expect(inspectRequest(request({ messages }), policy)).toEqual([]);
    });

    it('an input_schema, at the top level and in messages', () => {
      const schema = { type: 'object', properties: { file_id: { type: 'string' }, tools: { type: 'array' } }, examples: [tricky] };
      expect(inspectRequest(request({ tools: [{ name: 'lookup', input_schema: schema }] }), policy)).toEqual([]);
      expect(inspectRequest(request({ messages: [user([{ type: 'text', text: 'a', extra: { name: 'x', input_schema: schema } }])] }), policy)).toEqual([]);
    });

    it('output_config.format.schema and output_format.schema', () => {
      const schema = { type: 'object', properties: { file_id: { type: 'string' } }, examples: [tricky] };
      expect(inspectRequest(request({ output_config: { format: { type: 'json_schema', schema } } }), policy)).toEqual([]);
      expect(inspectRequest(request({ output_format: { type: 'json_schema', schema } }), policy)).toEqual([]);
    });

    it('leaves the params it was given untouched', () => {
      const schema = { type: 'object' };
      const params = request({ output_config: { format: { type: 'json_schema', schema } }, output_format: { type: 'json_schema', schema } });
      inspectRequest(params, policy);
      expect(params).toEqual(request({ output_config: { format: { type: 'json_schema', schema } }, output_format: { type: 'json_schema', schema } }));
    });

    it('a versioned type outside messages (context_management’s edits)', () => {
      expect(refusalOf(request({ context_management: { edits: [{ type: 'clear_tool_uses_20250919', trigger: { type: 'input_tokens', value: 1000 } }] } }))).toBeUndefined();
    });

    it('but a tool_use block’s other fields, and an input of another block type, are walked', () => {
      expect(refusalOf(request({ messages: [assistant([{ type: 'tool_use', id: 't', name: 'n', input: {}, extra: { type: 'bash_20250124' } }])] }))?.status).toBe(403);
      expect(refusalOf(request({ messages: [user([{ type: 'text', text: 'a', input: { type: 'bash_20250124' } }])] }))?.status).toBe(403);
    });
  });

  describe('files', () => {
    it('gives every file_id, in order, from anywhere else', () => {
      const messages = [
        user([
          { type: 'document', source: { type: 'file', file_id: 'file_1' } },
          { type: 'image', source: { type: 'file', file_id: 'file_2' } },
        ]),
        assistant([{ type: 'text', text: 'seen' }]),
        user([{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'document', source: { type: 'file', file_id: 'file_3' } }] }]),
      ];
      const system = [{ type: 'text', text: 'x', extra: { file_id: 'file_4' } }];
      expect(inspectRequest(request({ messages, system, container: { skills: [{ file_id: 'file_5' }] } }), policy)).toEqual(['file_1', 'file_2', 'file_3', 'file_4', 'file_5']);
    });

    it('gives a file named twice twice', () => {
      const block = { type: 'document', source: { type: 'file', file_id: 'file_1' } };
      expect(inspectRequest(request({ messages: [user([block, block])] }), policy)).toEqual(['file_1', 'file_1']);
    });

    it.each([[42], [null], [{ id: 'file_1' }], [['file_1']]])('refuses a file_id of %j with 400', (fileId) => {
      const refusal = refusalOf(request({ messages: [user([{ type: 'document', source: { type: 'file', file_id: fileId } }])] }));
      expect(refusal?.status).toBe(400);
      expect(refusal?.message).toContain('messages.0.content.0.source.file_id must be a string');
    });
  });

  describe('depth', () => {
    const nested = (depth: number, key?: string): unknown => {
      let value: unknown = 'leaf';
      for (let i = 0; i < depth; i++) value = key === undefined ? [value] : { [key]: value };
      return value;
    };

    it('walks a request 64 levels deep', () => {
      expect(refusalOf(request({ metadata: nested(60) }))).toBeUndefined();
    });

    it('refuses nesting deeper than 64 levels with 400 and a short message', () => {
      const refusal = refusalOf(request({ metadata: nested(100) }));
      expect(refusal?.status).toBe(400);
      expect(refusal?.message).toMatch(/^The request nests deeper than 64 levels/);
      expect(refusal?.message.length).toBeLessThan(300);
      expect(refusalOf(request({ messages: [user([{ type: 'text', text: 'a', deep: nested(100) }])] }))?.status).toBe(400);
    });

    it('refuses 10 000 levels without overflowing the stack', () => {
      expect(refusalOf(request({ metadata: nested(10_000) }))?.status).toBe(400);
    });

    it('keeps the depth refusal short when every level has a long key', () => {
      const refusal = refusalOf(request({ metadata: nested(100, 'k'.repeat(1000)) }));
      expect(refusal?.status).toBe(400);
      expect(refusal?.message.length).toBeLessThan(300);
    });
  });

  describe('quoting', () => {
    const long = 'x'.repeat(10_000);

    it.each([
      ['a content block type', request({ messages: [user([{ type: long }])] })],
      ['a system block type', request({ system: [{ type: long }] })],
      ['a tool type', request({ tools: [{ type: `${long}_20250101` }] })],
      ['a tool name', request({ tools: [{ name: long, type: 'bash_20250124' }] })],
      ['a versioned type in messages', request({ messages: [user([{ type: 'text', text: 'a', x: { type: `${long}_20250101` } }])] })],
      ['a key in the path', request({ messages: [user([{ type: 'text', text: 'a', [long]: { type: 'bash_20250124' } }])] })],
      ['a file_id that is not a string', request({ extra: { file_id: [long] } })],
      ['a block that is not a block', request({ messages: [user([long])] })],
    ])('quotes %s of 10 kB short (< 300 characters)', (_, params) => {
      const refusal = refusalOf(params);
      expect(refusal).toBeInstanceOf(ProxyRefusalError);
      expect(refusal?.message.length).toBeLessThan(300);
    });
  });
});
