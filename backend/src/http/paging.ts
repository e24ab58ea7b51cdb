/**
 * Cursor pages: queries ask for one item more than the limit; this cuts the page and
 * makes the cursor from its last item when there is more to read.
 */
export function toPage<T>(fetched: T[], limit: number, cursorOf: (item: T) => string): { items: T[]; nextCursor: string | null } {
  const items = fetched.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: fetched.length > limit && last !== undefined ? cursorOf(last) : null };
}
