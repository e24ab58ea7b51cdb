/**
 * A value read from the database at most every maxAgeMs per process: what every message or
 * reply needs and what changes rarely (the brand's settings). A process that changes it
 * forgets its copy, and sees the change at once; others see it within maxAgeMs.
 */
export function readAtMostEvery<T>(maxAgeMs: number, load: () => Promise<T>): { read(): Promise<T>; forget(): void } {
  let held: { value: T; at: number } | undefined;
  return {
    async read() {
      if (held && Date.now() - held.at < maxAgeMs) return held.value;
      const value = await load();
      held = { value, at: Date.now() };
      return value;
    },
    forget() {
      held = undefined;
    },
  };
}
