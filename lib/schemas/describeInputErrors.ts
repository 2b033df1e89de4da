import type * as t from 'io-ts';
import { inputFailure, type InputFailure } from './InputFailure';

/**
 * Every failure in io-ts decode errors, one per failing path, in the order of the codec.
 *
 * io-ts reports each failed member of a union separately. A union whose members all failed on
 * the value itself gives one failure naming the whole union (`expected "a" | "b"`); when some
 * member got into the value, only the one that got deepest is reported (an object member's
 * `at "shape.radius"` rather than "expected null" from a `null` member beside it). Members of an
 * intersection each report their own fields. Paths count fields and indexes only.
 *
 * ## Example
 * ```ts
 * const Order = t.type({ items: t.array(t.type({ sku: t.string, qty: t.number })) });
 * const result = Order.decode({ items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 'two' }] });
 * if (isLeft(result)) describeInputErrors(result.left);
 * // [{ path: 'items.1.qty', expected: 'number', actual: 'two', text: 'at "items.1.qty": expected number, got "two"' }]
 * ```
 *
 * @param errors The `left` of a failed `decode`.
 * @return The failures, deduplicated.
 * @see decodeToolInput
 * @see describeStandardIssues
 */
export function describeInputErrors(errors: t.Errors): InputFailure[] {
  if (errors.length === 0) return [];
  const seen = new Set<string>();
  return collect(errors, 1, []).filter((failure) => !seen.has(failure.text) && seen.add(failure.text));
}

/** Characters of an expected type shown before it is cut with `…`. */
const MAX_EXPECTED = 160;

type Path = readonly string[];

interface Codec {
  readonly name: string;
  readonly _tag?: string;
  readonly types?: readonly Codec[];
  readonly members?: Record<string, unknown>;
}

const tagOf = (codec: t.Decoder<unknown, unknown>): string | undefined => (codec as Codec)._tag;

/** Whether `entry` is `parent` choosing one of its members (a union's or intersection's), not a step into the value. */
function isMemberEntry(parent: t.ContextEntry, entry: t.ContextEntry): boolean {
  const codec = parent.type as Codec;
  if (codec._tag === 'UnionType' || codec._tag === 'IntersectionType') return true;
  // lib/schema's openUnion picks a member by the value's `type`, keyed by that tag.
  return codec._tag === 'OpenUnionType' && codec.members !== undefined && Object.prototype.hasOwnProperty.call(codec.members, entry.key) && codec.members[entry.key] === entry.type;
}

/** How many fields and indexes deep an error got below `context[from - 1]`. */
function reach(context: t.Context, from: number): number {
  let steps = 0;
  for (let i = from; i < context.length; i++) {
    if (!isMemberEntry(context[i - 1] as t.ContextEntry, context[i] as t.ContextEntry)) steps++;
  }
  return steps;
}

/** The failures of errors that share their first `depth` context entries; `context[depth - 1]` is the node they are under. */
function collect(errors: readonly t.ValidationError[], depth: number, path: Path): InputFailure[] {
  const node = (errors[0] as t.ValidationError).context[depth - 1] as t.ContextEntry;
  const endsHere = errors.find((error) => error.context.length <= depth);
  if (endsHere !== undefined) return [failure(path, node.type, endsHere.value, endsHere.message)];

  const groups = new Map<string, { entry: t.ContextEntry; errors: t.ValidationError[] }>();
  for (const error of errors) {
    const entry = error.context[depth] as t.ContextEntry;
    const group = groups.get(entry.key);
    if (group === undefined) groups.set(entry.key, { entry, errors: [error] });
    else group.errors.push(error);
  }
  const fields = [...groups.values()].filter((group) => !isMemberEntry(node, group.entry));
  const members = [...groups.values()].filter((group) => isMemberEntry(node, group.entry));

  const fromFields = fields.flatMap((group) => collect(group.errors, depth + 1, [...path, group.entry.key]));
  if (members.length === 0) return fromFields;
  const fromMembers = tagOf(node.type) === 'IntersectionType' ? intersectionFailures(node, members, depth, path) : unionFailures(node, members, depth, path);
  return [...fromMembers, ...fromFields];
}

function unionFailures(node: t.ContextEntry, members: ReadonlyArray<{ errors: t.ValidationError[] }>, depth: number, path: Path): InputFailure[] {
  const ranked = members.map((member) => ({ errors: member.errors, reach: Math.max(...member.errors.map((error) => reach(error.context, depth + 1))) }));
  if (ranked.every((member) => member.reach === 0)) return [failure(path, node.type, node.actual, undefined)];
  // The member that got deepest into the value is the one the model meant; fewer errors break ties.
  const best = ranked.reduce((a, b) => (b.reach > a.reach || (b.reach === a.reach && b.errors.length < a.errors.length) ? b : a));
  return collect(best.errors, depth + 1, path);
}

function intersectionFailures(node: t.ContextEntry, members: ReadonlyArray<{ errors: t.ValidationError[] }>, depth: number, path: Path): InputFailure[] {
  const failures = members.flatMap((member) => collect(member.errors, depth + 1, path));
  const here = path.join('.');
  const atNode = failures.filter((f) => f.path === here);
  if (atNode.length < 2) return failures;
  // Several members rejected the value as a whole (not an object): say so once, naming the intersection.
  const first = failures.indexOf(atNode[0] as InputFailure);
  const merged = failure(path, node.type, node.actual, undefined);
  return [...failures.slice(0, first).filter((f) => f.path !== here), merged, ...failures.slice(first).filter((f) => f.path !== here)];
}

function failure(path: Path, codec: t.Decoder<unknown, unknown>, actual: unknown, message: string | undefined): InputFailure {
  const expected = expectedName(codec);
  return inputFailure(path, expected, message ? message : `expected ${expected}`, actual);
}

/** A codec's name as a reader wants it: io-ts's default `(a | b)` without the outer parentheses, cut when long. */
function expectedName(codec: t.Decoder<unknown, unknown>): string {
  const { name, _tag, types } = codec as Codec;
  let shown = name;
  if (types !== undefined && (_tag === 'UnionType' || _tag === 'IntersectionType')) {
    const separator = _tag === 'UnionType' ? ' | ' : ' & ';
    if (name === `(${types.map((type) => type.name).join(separator)})`) shown = name.slice(1, -1);
  }
  return shown.length > MAX_EXPECTED ? `${shown.slice(0, MAX_EXPECTED)}…` : shown;
}
