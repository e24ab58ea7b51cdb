import { Link } from 'react-router';
import { ApiError } from '../api/client';
import { useDryRun } from '../api/rules.queries';
import { ChannelIcon } from '../components/channel-icon';
import { ruleStrings as t } from './rules.strings';

/** Tries the saved rule on the last 500 tickets and lists those it would match, with what it would do to each. */
export function DryRunPanel({ ruleId, unsaved }: { ruleId: string | undefined; unsaved: boolean }) {
  const dryRun = useDryRun();
  const result = dryRun.data?.ruleId === ruleId ? dryRun.data : undefined;
  return (
    <section className="rule-dry-run" aria-labelledby="dry-run-title">
      <h3 id="dry-run-title">{t.dryRun.title}</h3>
      <p className="muted">{t.dryRun.intro}</p>
      {!ruleId ? (
        <p>{t.dryRun.saveFirst}</p>
      ) : (
        <>
          {unsaved && <p className="rule-note">{t.dryRun.unsaved}</p>}
          <button type="button" className="button secondary" disabled={dryRun.isPending} onClick={() => dryRun.mutate(ruleId)}>
            {dryRun.isPending ? t.dryRun.running : t.dryRun.run}
          </button>
        </>
      )}
      {dryRun.isError && (
        <p className="form-error" role="alert">
          {t.dryRun.failed(dryRun.error instanceof ApiError ? dryRun.error.message : String(dryRun.error))}
        </p>
      )}
      {result && (
        <div role="status" aria-live="polite">
          <p className="rule-dry-run-summary">{t.dryRun.summary(result.matched, result.evaluated)}</p>
          {result.items.length === 0 ? (
            <p>{t.dryRun.noMatch}</p>
          ) : (
            <table className="admin-table rule-dry-run-table">
              <thead>
                <tr>
                  <th scope="col">{t.dryRun.ticket}</th>
                  <th scope="col">{t.dryRun.message}</th>
                  <th scope="col">{t.dryRun.wouldDo}</th>
                </tr>
              </thead>
              <tbody>
                {result.items.map((item) => (
                  <tr key={item.ticket.id} data-ticket-number={item.ticket.number}>
                    <td>
                      <ChannelIcon kind={item.ticket.channelKind} />{' '}
                      <Link to={`/inbox/open/tickets/${item.ticket.id}`}>#{item.ticket.number}</Link>
                      {/* The subject is the opening message's text, mostly: shown only when it says something else. */}
                      {!item.message.text.startsWith(item.ticket.subject.replace(/…$/, '')) && <span dir="auto"> {item.ticket.subject}</span>}
                      <div className="muted">
                        {t.statuses[item.ticket.status]} · {t.priorities[item.ticket.priority]}
                      </div>
                    </td>
                    <td>
                      <q dir="auto">{item.message.text}</q>
                      <div className="muted">
                        {t.triggers[item.trigger]} · {t.visibilities[item.message.visibility]}
                        {item.message.language ? ` · ${item.message.language}` : ''}
                      </div>
                    </td>
                    <td>
                      <ul className="rule-effects">
                        {item.actions.map((action, index) => (
                          <li key={index} className={`rule-effect rule-effect-${action.effect}`}>
                            <span className="rule-effect-badge">{t.dryRun.effects[action.effect]}</span> {t.actionTypes[action.type]}: <span dir="auto">{action.detail}</span>
                            {action.text && <blockquote dir="auto">{action.text}</blockquote>}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
