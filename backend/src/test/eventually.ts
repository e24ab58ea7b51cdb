/**
 * Reads until the value is what the test waits for, then answers it: tests wait on what a
 * user or platform would see happen, never on a fixed sleep. Fails naming what it waited for.
 */
export function eventually<T, U extends T>(read: () => Promise<T>, done: (value: T) => value is U, what?: string, timeoutMs?: number): Promise<U>;
export function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what?: string, timeoutMs?: number): Promise<T>;
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what = 'the condition', timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}; last seen: ${describe(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 500) ?? String(value);
  } catch {
    return String(value);
  }
}
