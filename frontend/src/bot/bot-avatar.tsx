import './bot.css';
/** The bot's face, drawn here (no image is loaded): a rounded head with two eyes and an antenna. */
export function BotAvatar({ size = 24 }: { size?: number }) {
  return (
    <svg className="bot-avatar" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="12" fill="#0f6e5c" />
      <line x1="12" y1="4" x2="12" y2="7" stroke="#fff" strokeWidth="1.5" strokeLinecap="round" />
      <circle cx="12" cy="3.6" r="1.3" fill="#fff" />
      <rect x="5.5" y="7.5" width="13" height="10" rx="3.5" fill="#fff" />
      <circle cx="9.5" cy="12.2" r="1.5" fill="#0f6e5c" />
      <circle cx="14.5" cy="12.2" r="1.5" fill="#0f6e5c" />
      <rect x="9.5" y="15" width="5" height="1.2" rx="0.6" fill="#0f6e5c" />
    </svg>
  );
}

/** "Bot", beside a name or on a ticket row: the bot's colour with its face. */
export function BotBadge({ label, title }: { label: string; title?: string }) {
  return (
    <span className="badge bot-badge" title={title}>
      <BotAvatar size={12} />
      {label}
    </span>
  );
}
