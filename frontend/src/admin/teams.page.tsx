import { useState } from 'react';
import type { TeamDetail } from '@parley/common';
import { useMe } from '../api/auth.queries';
import { ApiError } from '../api/client';
import { useTeams, useUpdateTeam } from '../api/teams.queries';
import { useToast } from '../components/toast';
import { strings } from '../i18n/strings';

const text = strings.admin.teams;

/** One team's approval setting: off, on for all its agents, or on for the agents ticked. */
function ApprovalSetting({ team, editable }: { team: TeamDetail; editable: boolean }) {
  const toast = useToast();
  const update = useUpdateTeam();
  const agents = team.members.filter((member) => member.role === 'agent');
  const [required, setRequired] = useState(team.publicReplyApproval.required);
  const [onlyListed, setOnlyListed] = useState(team.publicReplyApproval.agentIds.length > 0);
  const [listed, setListed] = useState<Set<string>>(new Set(team.publicReplyApproval.agentIds));
  const idBase = `team-${team.id}`;

  if (!editable) return <span>{text.summary(team.publicReplyApproval.required, team.publicReplyApproval.agentIds.length)}</span>;

  const missingAgents = required && onlyListed && listed.size === 0;
  const save = () =>
    update.mutate(
      { id: team.id, patch: { publicReplyApproval: { required, agentIds: required && onlyListed ? [...listed] : [] } } },
      {
        onSuccess: (saved) => toast(text.saved(saved.name)),
        onError: (error) => toast(text.saveFailed(error instanceof ApiError ? error.message : String(error))),
      },
    );

  return (
    <form
      className="team-approval"
      aria-label={`${text.approval}: ${team.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        if (!missingAgents) save();
      }}
    >
      <label className="filter-check">
        <input type="checkbox" checked={required} onChange={(event) => setRequired(event.target.checked)} />
        {text.required}
      </label>
      {required && (
        <fieldset className="team-approval-who">
          <legend className="visually-hidden">{text.approval}</legend>
          <label className="filter-check">
            <input type="radio" name={`${idBase}-who`} checked={!onlyListed} onChange={() => setOnlyListed(false)} />
            {text.allAgents}
          </label>
          <label className="filter-check">
            <input type="radio" name={`${idBase}-who`} checked={onlyListed} onChange={() => setOnlyListed(true)} />
            {text.listedAgents}
          </label>
          {onlyListed &&
            (agents.length === 0 ? (
              <p className="muted">{text.noAgents}</p>
            ) : (
              <ul className="team-agents">
                {agents.map((agent) => (
                  <li key={agent.id}>
                    <label className="filter-check">
                      <input
                        type="checkbox"
                        checked={listed.has(agent.id)}
                        onChange={(event) =>
                          setListed((old) => {
                            const next = new Set(old);
                            if (event.target.checked) next.add(agent.id);
                            else next.delete(agent.id);
                            return next;
                          })
                        }
                      />
                      <span dir="auto">{agent.name}</span>
                    </label>
                  </li>
                ))}
              </ul>
            ))}
          {missingAgents && <p className="field-error">{text.pickAgent}</p>}
        </fieldset>
      )}
      <button type="submit" className="button secondary small" disabled={update.isPending || missingAgents}>
        {update.isPending ? text.saving : text.save}
      </button>
    </form>
  );
}

/** The teams: who is in each, and whose public replies wait for a supervisor's approval. */
export function TeamsPage() {
  const teams = useTeams();
  const editable = useMe().data?.user.role === 'admin';
  return (
    <>
      <h2>{text.title}</h2>
      <p className="muted">{text.intro}</p>
      {!editable && <p className="muted">{text.readOnly}</p>}
      {teams.isPending && <p role="status">{strings.shell.loading}</p>}
      {teams.isError && <p role="alert">{strings.admin.loadFailed}</p>}
      {teams.data && teams.data.length === 0 && <p>{text.none}</p>}
      {teams.data && teams.data.length > 0 && (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{text.name}</th>
              <th scope="col">{text.members}</th>
              <th scope="col">{text.approval}</th>
            </tr>
          </thead>
          <tbody>
            {teams.data.map((team) => (
              <tr key={team.id} data-team-id={team.id}>
                <td dir="auto">{team.name}</td>
                <td>
                  {team.members.length === 0 ? (
                    <span className="muted">{text.noMembers}</span>
                  ) : (
                    <ul className="team-members">
                      {team.members.map((member) => (
                        <li key={member.id}>
                          <span dir="auto">{member.name}</span> <span className="muted">{strings.roles[member.role]}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>
                  <ApprovalSetting key={team.updatedAt} team={team} editable={editable} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
