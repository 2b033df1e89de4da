import { dirname, join, resolve } from 'node:path';
import { isLeft, isRight } from 'fp-ts/Either';
import * as ts from 'typescript';
import type { Model as OfficialModel } from '@anthropic-ai/sdk/resources/messages/messages';
import { DEPRECATED_MODELS, Model, MessageCreateParams, type DeprecatedModel, type KnownModel } from 'rx-anthropic';

/**
 * `Model` completes the names the API knows and takes any other string; `DEPRECATED_MODELS` is
 * data, the same as the official SDK's (its models and end-of-life days), frozen.
 */

/** The official SDK's own list (not in its package exports, so read from its file): model → 'November 30th, 2026'. */
const officialDeprecated = (): Record<string, string> =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(join(dirname(require.resolve('@anthropic-ai/sdk')), 'internal/data/deprecated-models.js')).DEPRECATED_MODELS;

/** 'November 30th, 2026' → '2026-11-30'. */
const isoDay = (day: string): string => {
  const date = new Date(day.replace(/(\d+)(st|nd|rd|th)/, '$1'));
  if (Number.isNaN(date.getTime())) throw new Error(`not a day: ${day}`);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
};

// The literal names of a union with `string & {}`: what an editor offers.
type Literals<T> = T extends string ? (string extends T ? never : T) : never;
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

describe('DEPRECATED_MODELS', () => {
  it('holds the models of the official SDK, with the same end-of-life days', () => {
    const official = officialDeprecated();
    expect(Object.keys(official).length).toBeGreaterThan(0);
    expect(Object.fromEntries(Object.entries(official).map(([model, day]) => [model, isoDay(day)]))).toEqual(DEPRECATED_MODELS);
  });

  it('is frozen: nobody can add, change or remove a model', () => {
    const list = DEPRECATED_MODELS as Record<string, string>;
    expect(Object.isFrozen(list)).toBe(true);
    expect(() => (list['claude-sonnet-4-6'] = '2030-01-01')).toThrow(TypeError);
    expect(() => (list['claude-sonnet-4-5'] = '2030-01-01')).toThrow(TypeError);
    expect(() => delete list['claude-sonnet-4-5']).toThrow(TypeError);
    expect(list['claude-sonnet-4-5']).toBe('2026-11-30');
  });

  it('has ISO days, and only known models', () => {
    for (const [model, day] of Object.entries(DEPRECATED_MODELS)) {
      expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10)).toBe(day);
      const known: KnownModel = model as DeprecatedModel;
      expect(typeof known).toBe('string');
    }
  });
});

describe('Model', () => {
  it('is typed with the known names and any other string; not a number', () => {
    const known: Model = 'claude-sonnet-4-6';
    const other: Model = 'my-fine-tuned-model';
    const fromAVariable: string = 'claude-' + 'x';
    const asModel: Model = fromAVariable;
    const params: MessageCreateParams = { model: 'claude-opus-4-8', max_tokens: 8, messages: [] };
    // @ts-expect-error a model is a string
    const numeric: Model = 4;
    // @ts-expect-error a known model is one of the names
    const typo: KnownModel = 'claude-sonet-4-6';
    const modelOfParams: Equal<MessageCreateParams['model'], Model> = true;
    const keepsTheNames: Equal<Literals<Model>, KnownModel> = true;
    expect([known, other, asModel, params.model, numeric, typo, modelOfParams, keepsTheNames]).toHaveLength(8);
  });

  it('knows the names the official SDK knows (a type-level check: npm run typecheck)', () => {
    const sameNames: Equal<KnownModel, Literals<OfficialModel>> = true;
    expect(sameNames).toBe(true);
  });

  it('decodes any string as it is, and refuses what is not a string', () => {
    for (const model of ['claude-sonnet-4-6', 'claude-sonnet-4-5', 'my-fine-tuned-model', '']) {
      const result = Model.decode(model);
      expect(isRight(result) && result.right).toBe(model);
    }
    expect(isLeft(Model.decode(4))).toBe(true);
    expect(isLeft(MessageCreateParams.decode({ model: 4, max_tokens: 8, messages: [] }))).toBe(true);
    expect(isRight(MessageCreateParams.decode({ model: 'a-model-from-next-year', max_tokens: 8, messages: [] }))).toBe(true);
  });

  it("is completed by an editor: TypeScript's language service offers the known names for params.model", () => {
    const root = resolve(__dirname, '../..');
    const fileName = join(root, 'spec/schema/completion-probe.ts');
    const text = "import type { MessageCreateParams } from '../../lib/schema/params';\nconst params: MessageCreateParams = { model: '', max_tokens: 8, messages: [] };\n";
    const position = text.indexOf("model: '") + "model: '".length;
    const options: ts.CompilerOptions = { strict: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['lib.es2020.d.ts'], types: [], skipLibCheck: true, noEmit: true };
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [fileName],
      getScriptVersion: () => '1',
      getScriptSnapshot: (name) => {
        const content = name === fileName ? text : ts.sys.readFile(name);
        return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content);
      },
      getCurrentDirectory: () => root,
      getDefaultLibFileName: (settings) => ts.getDefaultLibFilePath(settings),
      fileExists: (name) => name === fileName || ts.sys.fileExists(name),
      readFile: (name) => (name === fileName ? text : ts.sys.readFile(name)),
    };
    const service = ts.createLanguageService(host);
    const offered = service.getCompletionsAtPosition(fileName, position, {})?.entries.map((entry) => entry.name) ?? [];
    service.dispose();
    expect(offered).toEqual(expect.arrayContaining(['claude-sonnet-4-6', 'claude-opus-4-8', 'claude-haiku-4-5', 'claude-sonnet-4-5']));
  });
});
