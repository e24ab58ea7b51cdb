import { useState } from 'react';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (parts.length > 1 ? `${parts[0]?.[0] ?? ''}${parts[parts.length - 1]?.[0] ?? ''}` : name.slice(0, 2)).toUpperCase() || '?';
}

/**
 * A person's picture, or their initials when there is none (or it fails to load). Pictures
 * come only from our own api (its media proxy), never from a platform's CDN.
 */
export function Avatar({ name, url, size = 32 }: { name: string; url?: string; size?: number }) {
  const [broken, setBroken] = useState(false);
  const safe = url?.startsWith('/api/') && !broken;
  return safe ? (
    <img className="avatar" src={url} alt="" width={size} height={size} loading="lazy" decoding="async" onError={() => setBroken(true)} />
  ) : (
    <span className="avatar avatar-initials" aria-hidden="true" style={{ width: size, height: size }}>
      {initials(name)}
    </span>
  );
}
