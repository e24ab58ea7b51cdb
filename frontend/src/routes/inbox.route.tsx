import { strings } from '../i18n/strings';

export function InboxRoute() {
  return (
    <section className="empty-state" aria-labelledby="inbox-empty">
      <h1 id="inbox-empty">{strings.shell.emptyInbox}</h1>
      <p>{strings.shell.emptyInboxHint}</p>
    </section>
  );
}
