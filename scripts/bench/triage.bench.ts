/**
 * Triage text analysis on the labelled care set (backend/src/triage/data/care-set.jsonl):
 * language and sentiment accuracy on the train split, the test split (never tuned on) and
 * both, and on the fresh set (care-fresh.jsonl, written after the lexicons, never tuned on);
 * confusion counts; the libraries Parley's choice was measured against; and the cost
 * of analysis in the ingest path, a 10,000-character message included. No database.
 */
import { performance } from 'node:perf_hooks';
import type { SentimentLabel } from '@parley/common';
import { detect as tinyldDetect, toISO2 } from 'tinyld';
import winkSentiment from 'wink-sentiment';
import { Container } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en';
import { LangEs } from '@nlpjs/lang-es';
import { LangFr } from '@nlpjs/lang-fr';
import { SentimentAnalyzer } from '@nlpjs/sentiment';
import { analyzeText } from '../../backend/src/triage/analysis';
import { CARE_FRESH_FILE, loadCareSet, type CareMessage } from '../../backend/src/triage/care-set';
import { CARE_LANGUAGES, detectLanguage, isCareLanguage, type CareLanguage } from '../../backend/src/triage/language';
import { sentimentOf } from '../../backend/src/triage/sentiment';
import { textForLanguage, textForSentiment } from '../../backend/src/triage/text';
import { summary } from './stats';

const ROUNDS = Number(process.env.BENCH_TRIAGE_ROUNDS ?? 20);
const LABELS: SentimentLabel[] = ['negative', 'neutral', 'positive'];
const SPLITS = ['train', 'test', 'all', 'fresh'] as const;
type Split = (typeof SPLITS)[number];

/** A row and the set it comes from: the care set (train and test) or the fresh set. */
type Row = CareMessage & { fresh: boolean };

const inSplit = (rows: Row[], split: Split) =>
  rows.filter((row) => (split === 'fresh' ? row.fresh : !row.fresh && (split === 'all' || row.split === split)));
const ratio = (hits: number, total: number) => (total === 0 ? NaN : hits / total);
const mean = (values: number[]) => values.reduce((total, value) => total + value, 0) / values.length;
const fixed = (value: number) => (Number.isNaN(value) ? '—' : value.toFixed(3));

// franc names the macrolanguage's main member where tinyld's table has no two-letter code.
const FRANC_TO_ISO1: Record<string, string> = { arb: 'ar', pes: 'fa', zlm: 'ms', ekk: 'et', lvs: 'lv', npi: 'ne', uzn: 'uz', swh: 'sw' };
const francToIso1 = (code: string) => {
  const iso1 = FRANC_TO_ISO1[code] ?? toISO2(code);
  return /^[a-z]{2}$/u.test(iso1) ? iso1 : 'und';
};

type LanguageDetector = (text: string) => string;

interface LanguageFigures {
  detector: string;
  /** Exact language of the en/es/fr rows, per split. */
  careAccuracy: Record<Split, number>;
  /** Rows in other languages (all in the care set): exact language, and not taken for en/es/fr (their own language or und). */
  otherExact: number;
  otherKeptOut: number;
  /** All rows of the care set, exact language. */
  allExact: number;
  microsecondsPerMessage: number;
}

function measureLanguage(detector: string, detect: LanguageDetector, rows: Row[]): LanguageFigures {
  const started = performance.now();
  const predicted = rows.map((row) => ({ row, language: detect(row.text) }));
  const microsecondsPerMessage = ((performance.now() - started) * 1000) / rows.length;
  const care = predicted.filter(({ row }) => isCareLanguage(row.language));
  const others = predicted.filter(({ row }) => !isCareLanguage(row.language));
  const exact = (list: typeof predicted) => ratio(list.filter(({ row, language }) => row.language === language).length, list.length);
  return {
    detector,
    careAccuracy: Object.fromEntries(SPLITS.map((split) => [split, exact(care.filter(({ row }) => inSplit([row], split).length > 0))])) as Record<Split, number>,
    otherExact: exact(others),
    otherKeptOut: ratio(others.filter(({ language }) => !isCareLanguage(language)).length, others.length),
    allExact: exact(predicted.filter(({ row }) => !row.fresh)),
    microsecondsPerMessage,
  };
}

type SentimentReader = (row: CareMessage) => Promise<SentimentLabel | null>;

interface SentimentFigures {
  method: string;
  /** Per language and split; NaN where the method cannot read the language. */
  accuracy: Record<CareLanguage, Record<Split, number>>;
  macro: Record<Split, number>;
}

async function predictLabels(read: SentimentReader, rows: CareMessage[]): Promise<Map<string, SentimentLabel | null>> {
  const labels = new Map<string, SentimentLabel | null>();
  for (const row of rows) labels.set(row.id, await read(row));
  return labels;
}

function sentimentFigures(method: string, rows: Row[], labels: Map<string, SentimentLabel | null>): SentimentFigures {
  const accuracy = {} as Record<CareLanguage, Record<Split, number>>;
  for (const language of CARE_LANGUAGES) {
    const ofLanguage = rows.filter((row) => row.language === language);
    accuracy[language] = Object.fromEntries(
      SPLITS.map((split) => {
        const chosen = inSplit(ofLanguage, split);
        if (chosen.some((row) => labels.get(row.id) === null)) return [split, NaN];
        return [split, ratio(chosen.filter((row) => labels.get(row.id) === row.label).length, chosen.length)];
      }),
    ) as Record<Split, number>;
  }
  const macro = Object.fromEntries(SPLITS.map((split) => [split, mean(CARE_LANGUAGES.map((language) => accuracy[language][split]))])) as Record<Split, number>;
  return { method, accuracy, macro };
}

/** gold label → predicted label → count, per language. */
function confusion(rows: Row[], labels: Map<string, SentimentLabel | null>): Record<CareLanguage, Record<SentimentLabel, Record<SentimentLabel, number>>> {
  const counts = {} as Record<CareLanguage, Record<SentimentLabel, Record<SentimentLabel, number>>>;
  for (const language of CARE_LANGUAGES) {
    counts[language] = Object.fromEntries(LABELS.map((gold) => [gold, Object.fromEntries(LABELS.map((predicted) => [predicted, 0]))])) as Record<SentimentLabel, Record<SentimentLabel, number>>;
  }
  for (const row of rows) {
    const predicted = labels.get(row.id);
    if (predicted && isCareLanguage(row.language)) counts[row.language][row.label][predicted]++;
  }
  return counts;
}

const labelOfSign = (score: number): SentimentLabel => (score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral');

function nlpjsReader(): SentimentReader {
  const container = new Container();
  container.use(LangEn);
  container.use(LangEs);
  container.use(LangFr);
  const analyzer = new SentimentAnalyzer({ container });
  return async (row) => {
    const result = await analyzer.process({ locale: row.language, text: textForSentiment(row.text) });
    return labelOfSign(result.sentiment.score);
  };
}

interface CostFigures {
  messages: number;
  messagesPerSecond: number;
  perMessageMs: { p50: number; p95: number; p99: number; max: number };
  longTextMs: { characters: number; p50: number; p99: number };
}

/** Every row of the set plus the awkward inputs, each analysed ROUNDS times, each call timed. */
function measureCost(rows: Row[]): CostFigures {
  const longText = 'I have been waiting for my refund for weeks and nobody answers my emails. '.repeat(140).slice(0, 10_000);
  const awkward = ['', '🙃🙃🙃', 'k', 'مرحبا، أين حقيبتي؟ 😡', 'Hola, I need help avec ma commande', longText];
  const corpus = [...rows.map((row) => row.text), ...awkward];
  for (const text of corpus) analyzeText(text);

  const samples: number[] = [];
  const longSamples: number[] = [];
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    for (const text of corpus) {
      const before = performance.now();
      analyzeText(text);
      const took = performance.now() - before;
      samples.push(took);
      if (text === longText) longSamples.push(took);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const all = summary(samples);
  const long = summary(longSamples);
  return {
    messages: samples.length,
    messagesPerSecond: samples.length / seconds,
    perMessageMs: { p50: all.p50, p95: all.p95, p99: all.p99, max: Math.max(...samples) },
    longTextMs: { characters: longText.length, p50: long.p50, p99: long.p99 },
  };
}

export async function benchTriage() {
  const rows: Row[] = [...loadCareSet().map((row) => ({ ...row, fresh: false })), ...loadCareSet(CARE_FRESH_FILE).map((row) => ({ ...row, fresh: true }))];
  const care = rows.filter((row) => isCareLanguage(row.language));
  const { franc } = await import('franc-min');

  const languages = [
    measureLanguage('tinyld, raw text', (text) => tinyldDetect(text) || 'und', rows),
    measureLanguage('tinyld, prepared text', (text) => tinyldDetect(textForLanguage(text)) || 'und', rows),
    measureLanguage('franc-min, raw text', (text) => francToIso1(franc(text, { minLength: 3 })), rows),
    measureLanguage('franc-min, prepared text', (text) => francToIso1(franc(textForLanguage(text), { minLength: 3 })), rows),
    measureLanguage('Parley: tinyld + own words', detectLanguage, rows),
  ];

  // The headline: what ingest stores, language detected first.
  const endToEnd = await predictLabels((row) => Promise.resolve(analyzeText(row.text).sentiment.label), care);
  // The comparison gives every method the labelled language, so only sentiment is compared.
  const comparisonLabels = {
    'Parley lexicon + rules': await predictLabels((row) => Promise.resolve(sentimentOf(row.text, row.language).label), care),
    'wink-sentiment (English only)': await predictLabels(
      (row) => Promise.resolve(row.language === 'en' ? labelOfSign(winkSentiment(textForSentiment(row.text)).normalizedScore) : null),
      care,
    ),
    '@nlpjs/sentiment (en, es, fr packs)': await predictLabels(nlpjsReader(), care),
  };
  const sentiment = sentimentFigures('Parley, detected language (as ingest)', care, endToEnd);
  const comparison = Object.entries(comparisonLabels).map(([method, labels]) => sentimentFigures(method, care, labels));
  const confusions = { all: confusion(inSplit(care, 'all'), endToEnd), test: confusion(inSplit(care, 'test'), endToEnd), fresh: confusion(inSplit(care, 'fresh'), endToEnd) };
  const cost = measureCost(rows);

  const counts = Object.fromEntries(SPLITS.map((split) => [split, inSplit(rows, split).length]));
  const careSet = inSplit(rows, 'all');
  const careSetCare = careSet.filter((row) => isCareLanguage(row.language)).length;
  console.log(
    `\nTriage on the care set: ${careSet.length} messages (${careSetCare} en/es/fr, ${careSet.length - careSetCare} other languages), train ${counts.train}, test ${counts.test}; fresh set: ${counts.fresh}`,
  );
  console.log('Language (en/es/fr rows: exact; other languages: exact, and kept out of en/es/fr)');
  console.table(
    languages.map((figures) => ({
      detector: figures.detector,
      'en/es/fr train': fixed(figures.careAccuracy.train),
      'en/es/fr test': fixed(figures.careAccuracy.test),
      'en/es/fr all': fixed(figures.careAccuracy.all),
      'en/es/fr fresh': fixed(figures.careAccuracy.fresh),
      'others exact': fixed(figures.otherExact),
      'others kept out': fixed(figures.otherKeptOut),
      'all rows exact': fixed(figures.allExact),
      'µs/message': figures.microsecondsPerMessage.toFixed(0),
    })),
  );
  console.log('Sentiment accuracy (macro = mean of en, es, fr)');
  console.table(
    [sentiment, ...comparison].flatMap((figures) =>
      SPLITS.map((split) => ({
        method: figures.method,
        split,
        en: fixed(figures.accuracy.en[split]),
        es: fixed(figures.accuracy.es[split]),
        fr: fixed(figures.accuracy.fr[split]),
        macro: fixed(figures.macro[split]),
      })),
    ),
  );
  for (const [name, table] of Object.entries(confusions)) {
    console.log(`Sentiment confusion, ${name} (rows: labelled, columns: predicted; detected language)`);
    console.table(CARE_LANGUAGES.flatMap((language) => LABELS.map((gold) => ({ language, labelled: gold, ...table[language][gold] }))));
  }
  console.log(`Analysis cost: ${cost.messages} analyses (${ROUNDS} rounds of the set and awkward inputs, a ${cost.longTextMs.characters}-character text among them)`);
  console.table([
    {
      'messages/s': Math.round(cost.messagesPerSecond),
      'p50 ms': cost.perMessageMs.p50.toFixed(3),
      'p95 ms': cost.perMessageMs.p95.toFixed(3),
      'p99 ms': cost.perMessageMs.p99.toFixed(3),
      'max ms': cost.perMessageMs.max.toFixed(3),
      '10k text p50 ms': cost.longTextMs.p50.toFixed(3),
      '10k text p99 ms': cost.longTextMs.p99.toFixed(3),
    },
  ]);

  return { messages: counts, languages, sentiment, comparison, confusion: confusions, cost };
}
