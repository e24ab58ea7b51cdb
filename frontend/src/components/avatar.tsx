import { useState } from 'react';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (parts.length > 1 ? `${parts[0]?.[0] ?? ''}${parts[parts.length - 1]?.[0] ?? ''}` : name.slice(0, 2)).toUpperCase() || '?';
}

/** A person's picture, or their initials when there is none (or it fails to load). */
export function Avatar({ name, url, size = 32 }: { name: string; url?: string; size?: number }) {
  const [broken, setBroken] = useState(false);
  const safe = url && /^https?:\/\//.test(url) && !broken;
  return safe ? (
    <img className="avatar" src={url} alt="" width={size} height={size} onError={() => setBroken(true)} />
  ) : (
    <span className="avatar avatar-initials" aria-hidden="true" style={{ width: size, height: size }}>
      {initials(name)}
    </span>
  );
}
