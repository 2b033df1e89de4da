import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

/** A ```ts block of a Markdown file. */
export interface DocSnippet {
  /** `README.md`, `docs/mcp.md`, … (relative to the repository). */
  readonly file: string;
  /** The line of the opening fence (1-based). */
  readonly line: number;
  readonly code: string;
  /** Why the block is not type-checked, when its first line says so. */
  readonly skipReason?: string;
  /** The file the block shows, when its first line names it (`// examples/testing/app.spec.ts`), as that relative path. */
  readonly fileName?: string;
}

/**
 * A block opts out with a first line a reader sees: `// not type-checked: <why>`. The reason is
 * required, so nobody skips a block without saying what it would need.
 */
const OPT_OUT = /^\/\/ not type-checked:\s*(\S.*)$/;
/**
 * A block that shows a whole file names it on its first line, so the blocks can import each other:
 * it is written under that relative path (`src/main.ts` can import `./app/app.config`).
 */
const FILE_NAME = /^\/\/ ((?:[\w-][\w.-]*\/)*[\w.-]+\.ts)\s*$/;
const FENCE = /^```(\w*)\s*$/;

/** Every ```ts block of the Markdown files given, in order. */
export function docSnippets(root: string, files: readonly string[]): DocSnippet[] {
  return files.flatMap((path) => {
    const lines = readFileSync(path, 'utf8').split('\n');
    const snippets: DocSnippet[] = [];
    for (let index = 0; index < lines.length; index += 1) {
      const language = FENCE.exec(lines[index]!)?.[1];
      if (language === undefined || language === '') continue;
      const end = lines.findIndex((text, at) => at > index && /^```\s*$/.test(text));
      if (end < 0) throw new Error(`${relative(root, path)}:${index + 1}: a code block that is never closed`);
      if (language === 'ts' || language === 'typescript') {
        const code = lines.slice(index + 1, end).join('\n');
        const skipReason = OPT_OUT.exec(lines[index + 1] ?? '')?.[1];
        const fileName = FILE_NAME.exec(lines[index + 1] ?? '')?.[1];
        snippets.push({
          file: relative(root, path),
          line: index + 1,
          code,
          ...(skipReason === undefined ? {} : { skipReason }),
          ...(fileName === undefined ? {} : { fileName }),
        });
      }
      index = end;
    }
    return snippets;
  });
}

/** `README.md` and every `docs/*.md` (not the generated API reference). */
export function documentedFiles(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join(root, 'docs', name));
  return [join(root, 'README.md'), ...docs];
}

/** The names a snippet declares at its top level (imports included), so the prelude leaves them to it. */
export function declaredNames(code: string): Set<string> {
  const source = ts.createSourceFile('snippet.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const names = new Set<string>();
  const addBinding = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name);
  };
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.add(element.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) addBinding(declaration.name);
    } else if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) &&
      statement.name
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}
