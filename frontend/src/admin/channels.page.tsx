import { useChannels } from '../api/tickets.queries';
import { ChannelIcon } from '../components/channel-icon';
import { strings } from '../i18n/strings';

/** The connected brand accounts: what each is, whether it works, and where its platform delivers. */
export function ChannelsPage() {
  const channels = useChannels();
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
    </>
  );
}
