import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { declaredNames, docSnippets, documentedFiles, type DocSnippet } from './support/docSnippets';
import { packedConsumer, ROOT, typeCheck, type CompileResult } from './support/packedPackage';

/**
 * Every ```ts block of README.md and docs/*.md type-checks against the packed package, as a
 * reader would paste it into a project (ESM, bundler resolution, strict, jest's globals). A block
 * may use the names of the prelude without declaring them; a block that shows a whole file names
 * it on its first line (`// examples/testing/summarise.ts`), so another block can import it; a
 * block that cannot be checked says why on its first line (`// not type-checked: …`).
 */
const PRELUDE: Record<string, string> = {
  client: `declare const client: import('rx-anthropic').Client;`,
  params: `declare const params: import('rx-anthropic').MessageCreateParams;`,
  model: `declare const model: string;`,
  mcpClient: `declare const mcpClient: import('@modelcontextprotocol/sdk/client/index.js').Client;`,
};

const snippets = docSnippets(ROOT, documentedFiles(ROOT));
const checked = snippets.filter((snippet) => snippet.skipReason === undefined);

/** The file a snippet is written to, and how many prelude lines stand before its code. */
interface SnippetFile {
  readonly snippet: DocSnippet;
  readonly path: string;
  readonly preludeLines: number;
}

function writeSnippets(dir: string): SnippetFile[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'doc-snippets', private: true, type: 'module' }));
  const files = checked.map((snippet, index) => {
    const declared = declaredNames(snippet.code);
    const prelude = Object.entries(PRELUDE)
      .filter(([name]) => !declared.has(name))
      .map(([, declaration]) => declaration);
    const path = join(dir, snippet.fileName ?? `snippet-${index}.ts`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, [...prelude, snippet.code, 'export {};', ''].join('\n'));
    return { snippet, path, preludeLines: prelude.length };
  });
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        module: 'esnext',
        moduleResolution: 'bundler',
        types: ['node', 'jest'],
        strict: true,
        skipLibCheck: true,
        noEmit: true,
        esModuleInterop: true,
      },
      files: files.map((file) => file.path),
    }),
  );
  return files;
}

/** The compiler's errors for one snippet, with the line numbers of the Markdown file. */
function errorsOf(file: SnippetFile, output: string): string[] {
  const name = file.path.slice(file.path.lastIndexOf('/') + 1);
  return output
    .split('\n')
    .filter((line) => line.includes(`${name}(`))
    .map((line) => {
      const match = /\((\d+),(\d+)\): (.*)$/.exec(line);
      if (!match) return line;
      const markdownLine = file.snippet.line + Number(match[1]) - file.preludeLines;
      return `${file.snippet.file}:${markdownLine}:${match[2]} ${match[3]}`;
    });
}

describe('the documented snippets', () => {
  let files: SnippetFile[];
  let result: CompileResult;

  beforeAll(async () => {
    const consumer = await packedConsumer();
    files = writeSnippets(join(consumer, 'doc-snippets'));
    result = await typeCheck('ts5', join(consumer, 'doc-snippets'));
    // A compiler that did not finish reported nothing: no snippet could fail.
    if (!result.finished) throw new Error(result.output);
  }, 300_000);

  it('finds the blocks of README.md and docs/*.md', () => {
    expect(snippets.filter((snippet) => snippet.file === 'README.md').length).toBeGreaterThan(0);
    expect(new Set(checked.map((snippet) => snippet.file)).size).toBeGreaterThan(2);
  });

  it.each(checked.map((snippet) => [`${snippet.file}:${snippet.line}`, snippet] as const))('%s type-checks', (_, snippet) => {
    const file = files.find((candidate) => candidate.snippet === snippet)!;
    expect(errorsOf(file, result.output)).toEqual([]);
  });

  it('reports nothing it cannot place in a snippet', () => {
    const placed = files.flatMap((file) => errorsOf(file, result.output)).length;
    const all = result.output.split('\n').filter((line) => /error TS\d+/.test(line)).length;
    expect(all).toBe(placed);
  });

  const skipped = snippets.filter((snippet) => snippet.skipReason !== undefined);
  if (skipped.length > 0) {
    it.each(skipped.map((snippet) => [`${snippet.file}:${snippet.line}`, snippet] as const))('%s says why it is not type-checked', (_, snippet) => {
      expect(snippet.skipReason!.length).toBeGreaterThan(10);
    });
  }
});
