/**
 * The slice of a list that a `limit` and an offset cursor ask for, and the cursor after it
 * (`null` at the end). The mock's cursors are offsets in text, opaque to a client.
 */
export function pageOfList<T>(items: readonly T[], limitParam: string | undefined, cursor: string | undefined): { items: T[]; next: string | null } | string {
  const limit = limitParam === undefined ? 20 : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return `limit: Input should be an integer between 1 and 1000, got ${JSON.stringify(limitParam)}`;
  const start = cursor === undefined ? 0 : Number(/^page_(\d+)$/.exec(cursor)?.[1] ?? Number.NaN);
  if (!Number.isInteger(start)) return `page: not a page cursor of this list: ${JSON.stringify(cursor)}`;
  const end = start + limit;
  return { items: items.slice(start, end), next: end < items.length ? `page_${end}` : null };
}
