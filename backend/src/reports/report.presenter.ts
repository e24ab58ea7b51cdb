import { stringify } from 'csv-stringify/sync';
import { DURATION_BUCKET_EDGES, bucketQuantile, type Compliance, type DurationFigures, type ReportFigures, type ResponseTimeReport } from '@parley/common';
import { complianceCounter, durationBases, histogramCounter, type DurationMetric } from './rollup.facts';
import type { RollupCounts } from './rollup.model';

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);

function durationFigures(counts: RollupCounts, metric: DurationMetric): DurationFigures {
  const [business, calendar] = durationBases.map((basis) => DURATION_BUCKET_EDGES.map((_, bucket) => counts[histogramCounter(metric, basis, bucket)] ?? 0));
  return {
    count: (calendar ?? []).reduce((sum, count) => sum + count, 0),
    medianBusinessMinutes: bucketQuantile(business ?? [], 0.5),
    p90BusinessMinutes: bucketQuantile(business ?? [], 0.9),
    medianCalendarMinutes: bucketQuantile(calendar ?? [], 0.5),
    p90CalendarMinutes: bucketQuantile(calendar ?? [], 0.9),
  };
}

function compliance(counts: RollupCounts, metric: DurationMetric): Compliance {
  const met = counts[complianceCounter(metric, 'met')] ?? 0;
  const breached = counts[complianceCounter(metric, 'breached')] ?? 0;
  return { met, breached, percent: percent(met, met + breached) };
}

/** A group's figures from the sum of its rollups' counters. */
export function presentFigures(counts: RollupCounts): ReportFigures {
  const created = counts.created ?? 0;
  const responded = counts.responded ?? 0;
  return {
    created,
    solved: counts.solved ?? 0,
    responded,
    responseRate: percent(responded, created),
    botAnswered: counts.botAnswered ?? 0,
    handedOff: counts.handedOff ?? 0,
    firstResponse: durationFigures(counts, 'firstResponse'),
    nextResponse: durationFigures(counts, 'nextResponse'),
    resolution: durationFigures(counts, 'resolution'),
    compliance: { firstResponse: compliance(counts, 'firstResponse'), nextResponse: compliance(counts, 'nextResponse'), resolution: compliance(counts, 'resolution') },
  };
}

const metricColumns = (['firstResponse', 'nextResponse', 'resolution'] as const).flatMap((metric) => [
  { header: `${metric} median business minutes`, value: (figures: ReportFigures) => figures[metric].medianBusinessMinutes },
  { header: `${metric} p90 business minutes`, value: (figures: ReportFigures) => figures[metric].p90BusinessMinutes },
  { header: `${metric} median calendar minutes`, value: (figures: ReportFigures) => figures[metric].medianCalendarMinutes },
  { header: `${metric} p90 calendar minutes`, value: (figures: ReportFigures) => figures[metric].p90CalendarMinutes },
  { header: `${metric} SLA compliance %`, value: (figures: ReportFigures) => figures.compliance[metric].percent },
]);

const columns: Array<{ header: string; value: (figures: ReportFigures) => number | null }> = [
  { header: 'created', value: (figures) => figures.created },
  { header: 'solved', value: (figures) => figures.solved },
  { header: 'responded', value: (figures) => figures.responded },
  { header: 'response rate %', value: (figures) => figures.responseRate },
  { header: 'bot answered', value: (figures) => figures.botAnswered },
  { header: 'handed off', value: (figures) => figures.handedOff },
  ...metricColumns,
];

/** The report as CSV (RFC 4180): a header row, a row per group, then the totals. */
export function reportCsv(report: ResponseTimeReport): string {
  const rows = [
    ...report.rows.map((row) => [row.key, row.label, ...columns.map((column) => column.value(row) ?? '')]),
    ['total', 'Total', ...columns.map((column) => column.value(report.totals) ?? '')],
  ];
  return stringify([[report.groupBy, 'label', ...columns.map((column) => column.header)], ...rows], { record_delimiter: '\r\n' });
}
