/**
 * Token estimates of the mock: ceil(characters / 4). Not a tokenizer, only deterministic and
 * roughly the right size, so tests can assert exact numbers.
 */

/** ceil(characters / 4) of a string. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The characters a block counts for: its text when it has one, else its JSON. */
function blockCharacters(block: unknown): number {
  if (typeof block === 'string') return block.length;
  if (typeof block !== 'object' || block === null) return 0;
  const fields = block as Record<string, unknown>;
  if (typeof fields.text === 'string') return fields.text.length;
  if (typeof fields.thinking === 'string') return fields.thinking.length;
  if (fields.type === 'tool_result') return contentCharacters(fields.content);
  if (fields.input !== undefined) return JSON.stringify(fields.input).length;
  return JSON.stringify(block).length;
}

function contentCharacters(content: unknown): number {
  if (Array.isArray(content)) return content.reduce<number>((sum, block) => sum + blockCharacters(block), 0);
  return blockCharacters(content);
}

/**
 * Estimated input tokens of a Messages request body (`system`, `messages`, `tools`), as
 * answered by `count_tokens` and put in `usage.input_tokens`.
 */
export function estimateInputTokens(body: unknown): number {
  if (typeof body !== 'object' || body === null) return 0;
  const { system, messages, tools } = body as Record<string, unknown>;
  let characters = contentCharacters(system);
  if (Array.isArray(messages)) {
    for (const message of messages) {
      if (typeof message === 'object' && message !== null) {
        characters += contentCharacters((message as Record<string, unknown>).content);
      }
    }
  }
  if (Array.isArray(tools)) characters += JSON.stringify(tools).length;
  return Math.ceil(characters / 4);
}

/** Estimated output tokens of the content blocks of a reply. */
export function estimateOutputTokens(content: readonly unknown[]): number {
  return Math.ceil(contentCharacters(content) / 4);
}
