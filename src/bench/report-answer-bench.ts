import { lookupMeasures } from '../lookup/lookup-measures.ts';
import type { ReportOutline } from '../lookup/parse-report.ts';
import type { ReportQuery } from './report-bench.ts';

export interface ReportAnswerBenchResult {
  /** Answerable questions. */
  queries: number;
  /** Share of answerable questions whose reply text contains every `expect` string. */
  answer_contains: number;
  /** Questions marked `unanswerable`. */
  unanswerable: number;
  /**
   * Share of those answered with "no such information": found=false and no digit in the text.
   * null when the set has none.
   */
  unanswerable_ok: number | null;
  misses: { id: string; missing: string[] }[];
  /** Unanswerable questions that got an answer or a figure. */
  invented: { id: string; text: string }[];
}

/** The fixed clock the bench answers with: the March after the newest report's year. */
export function benchToday(reports: ReportOutline[]): Date {
  const newest = Math.max(...reports.map((r) => r.year ?? 0));
  return new Date(Date.UTC(newest > 0 ? newest + 1 : new Date().getUTCFullYear(), 2, 1));
}

const DIGIT = /[0-9０-９]/u;

/** Answers each question with the adviser look-up and checks the reply text. */
export function runReportAnswerBench(
  reports: ReportOutline[],
  queries: ReportQuery[],
  today: Date = benchToday(reports),
): ReportAnswerBenchResult {
  const misses: ReportAnswerBenchResult['misses'] = [];
  const invented: ReportAnswerBenchResult['invented'] = [];
  let answerable = 0;
  let unanswerable = 0;
  for (const q of queries) {
    const reply = lookupMeasures(q.query, reports, { today });
    if (q.unanswerable) {
      unanswerable++;
      if (reply.found || DIGIT.test(reply.text)) invented.push({ id: q.id, text: reply.text });
      continue;
    }
    answerable++;
    const missing = q.expect.filter((s) => !reply.text.includes(s));
    if (missing.length) misses.push({ id: q.id, missing });
  }
  return {
    queries: answerable,
    answer_contains: answerable ? (answerable - misses.length) / answerable : 0,
    unanswerable,
    unanswerable_ok: unanswerable ? (unanswerable - invented.length) / unanswerable : null,
    misses,
    invented,
  };
}
