import { resolve } from 'node:path';
import * as ts from 'typescript';

/**
 * Every symbol exported from the public entries has a TSDoc comment with an `## Example`
 * section holding a ```ts code block (house style, see STYLE.md). The check reads the sources
 * with the TypeScript compiler, follows re-exports to the declaring file, and looks at the
 * JSDoc of every declaration of the symbol (so a codec and its same-named type need only one).
 */
const ROOT = resolve(__dirname, '../..');

const ENTRIES = ['lib/index.ts', 'lib/testing/index.ts', 'lib/mcp/index.ts', 'lib/proxy/index.ts', 'lib/angular/index.ts', 'lib/otel/index.ts'];

/**
 * Exports that do not have an example yet. This list should shrink to empty: remove a name when
 * you document it, and never add one (a new export comes with its example).
 */
const MISSING_EXAMPLES_ALLOWED: readonly string[] = [];

const EXAMPLE = /##\s*Example[\s\S]*?```ts\b/;

function loadProgram(): ts.Program {
  const configPath = resolve(ROOT, 'tsconfig.build.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT, { noEmit: true }, configPath);
  return ts.createProgram({
    rootNames: ENTRIES.map((entry) => resolve(ROOT, entry)),
    options: parsed.options,
  });
}

/** The text of every JSDoc comment attached to a declaration (or, for a variable, its statement). */
function jsDocTexts(declaration: ts.Declaration): string[] {
  const sourceFile = declaration.getSourceFile();
  const nodes: ts.Node[] = [declaration];
  if (ts.isVariableDeclaration(declaration) && ts.isVariableDeclarationList(declaration.parent)) {
    nodes.push(declaration.parent.parent);
  }
  const texts: string[] = [];
  for (const node of nodes) {
    for (const doc of ts.getJSDocCommentsAndTags(node)) {
      if (ts.isJSDoc(doc)) texts.push(sourceFile.text.slice(doc.pos, doc.end));
    }
  }
  return texts;
}

function exportsOf(program: ts.Program, entry: string): { name: string; documented: boolean }[] {
  const checker = program.getTypeChecker();
  const sourceFile = program.getSourceFile(resolve(ROOT, entry));
  if (!sourceFile) throw new Error(`cannot load ${entry}`);
  const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
  if (!moduleSymbol) throw new Error(`${entry} is not a module`);
  return checker.getExportsOfModule(moduleSymbol).map((exported) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declarations = symbol.declarations ?? [];
    const documented = declarations.some((declaration) => jsDocTexts(declaration).some((text) => EXAMPLE.test(text)));
    return { name: exported.getName(), documented };
  });
}

describe('TSDoc examples on the public API', () => {
  const program = loadProgram();
  const all = ENTRIES.flatMap((entry) => exportsOf(program, entry).map((e) => ({ ...e, entry })));

  it('finds the exports of every entry', () => {
    for (const entry of ENTRIES) {
      expect(all.filter((e) => e.entry === entry).length).toBeGreaterThan(0);
    }
  });

  it('gives every export a TSDoc `## Example` with a ```ts block (except the allow-list)', () => {
    const missing = [...new Set(all.filter((e) => !e.documented).map((e) => e.name))].sort();
    const unexpected = missing.filter((name) => !MISSING_EXAMPLES_ALLOWED.includes(name));
    expect(unexpected).toEqual([]);
  });

  it('keeps the allow-list exact (remove names once they have examples)', () => {
    const missing = new Set(all.filter((e) => !e.documented).map((e) => e.name));
    const stale = MISSING_EXAMPLES_ALLOWED.filter((name) => !missing.has(name));
    expect(stale).toEqual([]);
  });
});
