import { isLeft, isRight } from 'fp-ts/Either';
import { ContentBlock, RawContentBlockDelta, TextCitation } from '../../lib/schema';
import { loadFixtures } from '../support/fixtures';

/** Every content block, delta and citation the fixtures stream, by kind. */
function streamedValues() {
  const blocks: Array<{ type: string }> = [];
  const deltas: Array<{ type: string }> = [];
  for (const fixture of [...loadFixtures('sdk-sse'), ...loadFixtures('real-world')]) {
    for (const line of fixture.sse.toString('utf8').split('\n')) {
      if (!line.startsWith('data:')) continue;
      const data = JSON.parse(line.slice(5));
      if (data.type === 'content_block_start') blocks.push(data.content_block);
      if (data.type === 'content_block_delta') deltas.push(data.delta);
    }
  }
  return { blocks, deltas };
}

const decodesAsItself = (codec: { decode(u: unknown): unknown }, value: unknown) => {
  const result = codec.decode(value) as ReturnType<typeof ContentBlock.decode>;
  return isRight(result) && result.right === value;
};

describe('ContentBlock', () => {
  const { blocks, deltas } = streamedValues();

  it('knows every block type the fixtures stream', () => {
    const types = new Set(blocks.map((block) => block.type));
    expect([...types].filter((type) => !(type in ContentBlock.members))).toEqual([]);
    expect(types.size).toBeGreaterThanOrEqual(13);
  });

  it('decodes every block the fixtures stream as the same object', () => {
    for (const block of blocks) expect(decodesAsItself(ContentBlock, block)).toBe(true);
  });

  it('knows every delta type the fixtures stream, and decodes them', () => {
    expect([...new Set(deltas.map((delta) => delta.type))].filter((type) => !(type in RawContentBlockDelta.members))).toEqual([]);
    for (const delta of deltas) expect(decodesAsItself(RawContentBlockDelta, delta)).toBe(true);
  });

  it.each([
    ['code_execution_tool_result', { type: 'code_execution_tool_result', tool_use_id: 'srvtoolu_1', content: { type: 'code_execution_result', stdout: '2\n', stderr: '', return_code: 0, content: [{ type: 'code_execution_output', file_id: 'file_1' }] } }],
    ['code_execution_tool_result error', { type: 'code_execution_tool_result', tool_use_id: 'srvtoolu_1', content: { type: 'code_execution_tool_result_error', error_code: 'unavailable' } }],
    ['text_editor_code_execution_tool_result', { type: 'text_editor_code_execution_tool_result', tool_use_id: 'srvtoolu_2', content: { type: 'text_editor_code_execution_view_result', content: 'x = 1', file_type: 'text', num_lines: 1, start_line: 1, total_lines: 1 } }],
    ['text_editor str_replace', { type: 'text_editor_code_execution_tool_result', tool_use_id: 'srvtoolu_2', content: { type: 'text_editor_code_execution_str_replace_result', lines: null, new_lines: 1, new_start: 3, old_lines: 1, old_start: 3 } }],
    ['tool_search_tool_result', { type: 'tool_search_tool_result', tool_use_id: 'srvtoolu_3', content: { type: 'tool_search_tool_search_result', tool_references: [{ type: 'tool_reference', tool_name: 'get_weather' }] } }],
    ['container_upload', { type: 'container_upload', file_id: 'file_2' }],
    ['web_fetch_tool_result error', { type: 'web_fetch_tool_result', tool_use_id: 'srvtoolu_4', content: { type: 'web_fetch_tool_result_error', error_code: 'url_not_accessible' } }],
    ['web_search_tool_result error', { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_5', content: { type: 'web_search_tool_result_error', error_code: 'max_uses_exceeded' } }],
    ['mcp_tool_result with string content', { type: 'mcp_tool_result', tool_use_id: 'mcptoolu_1', is_error: true, content: 'failed' }],
    ['compaction with content', { type: 'compaction', content: 'summary', encrypted_content: 'enc' }],
  ])('decodes a %s block', (_, block) => {
    expect(decodesAsItself(ContentBlock, block)).toBe(true);
  });

  it('checks the fields of a known block', () => {
    expect(isLeft(ContentBlock.decode({ type: 'mcp_tool_use', id: 'x', name: 'n', input: {} }))).toBe(true); // no server_name
    expect(isLeft(ContentBlock.decode({ type: 'thinking', thinking: 'hm' }))).toBe(true); // no signature
    expect(isLeft(ContentBlock.decode({ type: 'text', text: 'a', citations: [{ type: 'char_location' }] }))).toBe(true);
  });
});

describe('TextCitation', () => {
  it.each([
    { type: 'char_location', cited_text: 'a', document_index: 0, document_title: null, start_char_index: 0, end_char_index: 1, file_id: null },
    { type: 'page_location', cited_text: 'a', document_index: 0, document_title: 'T', start_page_number: 1, end_page_number: 2 },
    { type: 'content_block_location', cited_text: 'a', document_index: 1, start_block_index: 0, end_block_index: 1 },
    { type: 'web_search_result_location', cited_text: 'a', url: 'https://example.com', title: null, encrypted_index: 'Eo8' },
    { type: 'search_result_location', cited_text: 'a', search_result_index: 0, source: 's', title: null, start_block_index: 0, end_block_index: 0 },
    { type: 'audio_location', cited_text: 'a', start_ms: 1 },
  ])('decodes a $type citation', (citation) => {
    expect(decodesAsItself(TextCitation, citation)).toBe(true);
  });
});
