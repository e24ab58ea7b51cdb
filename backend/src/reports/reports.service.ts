import { Types } from 'mongoose';
import { reportRangeProblem, type Priority, type ReportGroupBy, type ReportRow, type ResponseTimeReport, type ResponseTimeReportQuery } from '@parley/common';
import { Channel } from '../channels/channel.model';
import { Invalid } from '../http/errors';
import { Team } from '../users/team.model';
import { User } from '../users/user.model';
import { addCounts } from './rollup.facts';
import { Rollup, type RollupCounts, type RollupDoc } from './rollup.model';
import { presentFigures } from './report.presenter';
import { localDateOf, reportWindow, weekOf } from './report.periods';

type RollupRead = Pick<RollupDoc, 'hour' | 'teamKey' | 'agentKey' | 'channelKey' | 'priority' | 'counts'>;

/** One query per UTC day, a few at a time: equalities on an indexed field, which FerretDB pushes down. */
async function rollupsOf(days: string[]): Promise<RollupRead[]> {
  const found: RollupRead[] = [];
  const fields = { hour: 1, teamKey: 1, agentKey: 1, channelKey: 1, priority: 1, counts: 1 };
  for (let offset = 0; offset < days.length; offset += 8) {
    const batch = await Promise.all(days.slice(offset, offset + 8).map((day) => Rollup.find({ day }, fields).lean<RollupRead[]>()));
    for (const rollups of batch) found.push(...rollups);
  }
  return found;
}

const priorityLabels: Record<Priority, string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };
const priorityOrder: Priority[] = ['urgent', 'high', 'normal', 'low'];

function groupKey(rollup: RollupRead, groupBy: ReportGroupBy, zone: string): string {
  switch (groupBy) {
    case 'day':
      return localDateOf(rollup.hour, zone);
    case 'week':
      return weekOf(localDateOf(rollup.hour, zone));
    case 'team':
      return rollup.teamKey;
    case 'agent':
      return rollup.agentKey;
    case 'channel':
      return rollup.channelKey;
    case 'priority':
      return rollup.priority;
  }
}

async function namesOf(groupBy: ReportGroupBy, keys: string[]): Promise<Map<string, string>> {
  const ids = keys.filter((key) => Types.ObjectId.isValid(key) && key.length === 24).map((key) => new Types.ObjectId(key));
  const model = groupBy === 'team' ? Team : groupBy === 'agent' ? User : groupBy === 'channel' ? Channel : null;
  if (!model || ids.length === 0) return new Map();
  const docs = await (model as typeof Team).find({ _id: { $in: ids } }, { name: 1 }).lean<Array<{ _id: Types.ObjectId; name: string }>>();
  return new Map(docs.map((doc) => [doc._id.toHexString(), doc.name]));
}

function labelOf(groupBy: ReportGroupBy, key: string, names: Map<string, string>): string {
  if (groupBy === 'day' || groupBy === 'week') return groupBy === 'week' ? `Week of ${key}` : key;
  if (groupBy === 'priority') return priorityLabels[key as Priority] ?? key;
  if (key === 'none') return groupBy === 'team' ? 'No team' : 'Unassigned';
  return names.get(key) ?? `Unknown ${groupBy} ${key}`;
}

/** The response-time report of a range, from the rollups alone. */
export async function responseTimeReport(query: ResponseTimeReportQuery): Promise<ResponseTimeReport> {
  const problem = reportRangeProblem(query);
  if (problem) throw new Invalid(problem.message, problem.field);
  const { from, to, tz, groupBy } = query;
  const window = reportWindow(from, to, tz);
  const rollups = (await rollupsOf(window.utcDays)).filter((rollup) => rollup.hour >= window.start && rollup.hour < window.end);

  const groups = new Map<string, RollupCounts>();
  // Days and weeks are listed whole, the quiet ones too.
  if (groupBy === 'day') for (const day of window.localDays) groups.set(day, {});
  if (groupBy === 'week') for (const day of window.localDays) groups.set(weekOf(day), {});
  const totals: RollupCounts = {};
  for (const rollup of rollups) {
    const key = groupKey(rollup, groupBy, tz);
    groups.set(key, addCounts(groups.get(key) ?? {}, rollup.counts));
    addCounts(totals, rollup.counts);
  }
  const names = await namesOf(groupBy, [...groups.keys()]);
  const rows: ReportRow[] = [...groups].map(([key, counts]) => ({ key, label: labelOf(groupBy, key, names), ...presentFigures(counts) }));
  if (groupBy === 'priority') rows.sort((a, b) => priorityOrder.indexOf(a.key as Priority) - priorityOrder.indexOf(b.key as Priority));
  else if (groupBy === 'day' || groupBy === 'week') rows.sort((a, b) => a.key.localeCompare(b.key));
  else rows.sort((a, b) => b.created - a.created || a.label.localeCompare(b.label));
  return { from, to, tz, groupBy, approximate: window.approximate, rows, totals: presentFigures(totals) };
}
