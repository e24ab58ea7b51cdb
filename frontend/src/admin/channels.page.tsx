import { useMe } from '../api/auth.queries';
import { useChannels } from '../api/tickets.queries';
import { botStrings } from '../bot/bot.strings';
import { ChannelBotForm } from '../bot/channel-bot-settings';
import { ChannelIcon } from '../components/channel-icon';
import { strings } from '../i18n/strings';

/** The connected brand accounts: what each is, whether it works, and where its platform delivers. */
export function ChannelsPage() {
  const channels = useChannels();
  const canEdit = useMe().data?.user.role === 'admin';
  return (
    <>
      <h2>{strings.admin.channels.title}</h2>
      <p className="muted">{strings.admin.channels.intro}</p>
      {channels.isPending && <p role="status">{strings.shell.loading}</p>}
      {channels.isError && <p role="alert">{strings.admin.loadFailed}</p>}
      {channels.data && channels.data.length === 0 && <p>{strings.admin.channels.none}</p>}
      {channels.data && channels.data.length > 0 && (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{strings.admin.channels.name}</th>
              <th scope="col">{strings.admin.channels.status}</th>
              <th scope="col">{strings.admin.channels.webhook}</th>
            </tr>
          </thead>
          <tbody>
            {channels.data.map((channel) => (
              <tr key={channel.id}>
                <td>
                  <ChannelIcon kind={channel.kind} /> <span dir="auto">{channel.name}</span> <span className="muted">{strings.channelKinds[channel.kind]}</span>
                </td>
                <td>
                  <span className={`channel-status channel-status-${channel.status}`}>{strings.admin.channels.statuses[channel.status]}</span>
                  {channel.statusReason && <span className="muted"> — {channel.statusReason}</span>}
                </td>
                <td>
                  <code>{channel.webhookUrl}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {channels.data && channels.data.length > 0 && (
        <section className="channel-bots" aria-labelledby="channel-bots-title">
          <h3 id="channel-bots-title">{botStrings.channel.title}</h3>
          <p className="muted">
            {botStrings.channel.intro} {!canEdit && botStrings.channel.readOnly}
          </p>
          <div className="channel-bot-forms">
            {channels.data.map((channel) => (
              <ChannelBotForm key={channel.id} channel={channel} canEdit={canEdit} />
            ))}
          </div>
        </section>
      )}
    </>
  );
}
