/**
 * Whether a URL a platform or webhook sender gave us may be kept: an absolute http: or
 * https: URL. Anything else (javascript:, data:, relative paths, garbage) is never stored
 * or fetched.
 */
export function isWebUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
