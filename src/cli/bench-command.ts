import { parseArgs } from 'node:util';
import {
  loadArticleChunks,
  loadKnowledgeChunks,
  loadLawChunks,
  readJsonl,
} from '../bench/bench-corpus.ts';
import { runReportBench, type ReportQuery } from '../bench/report-bench.ts';
import { runAnswerBench } from '../bench/answer-bench.ts';
import { benchToday, runReportAnswerBench } from '../bench/report-answer-bench.ts';
import { loadReports } from '../lookup/load-reports.ts';
import { loadServices } from '../answer/services.ts';
import { runRetrievalBench, type BenchQuery } from '../bench/retrieval-bench.ts';
import type { Summary } from '../bench/scoring.ts';
import { loadVocabulary } from '../retrieve/vocabulary.ts';
import { createProgressBar } from './progress-bar.ts';

const USAGE = `usage:
  npm run bench -- retrieval --queries FILE (--laws DIR | --articles FILE) [--json]
  npm run bench -- report --queries FILE [--json]
  npm run bench -- answer --queries FILE --laws DIR [--json]`;

/** The shipped vocabulary; skipped note lines are printed, since they change the figures. */
function benchVocabulary() {
  const vocabulary = loadVocabulary('knowledge');
  for (const problem of vocabulary.problems) console.log(`article note skipped: ${problem}`);
  return vocabulary;
}

const fmt = (n: number) => n.toFixed(3);
const row = (name: string, s: Summary) =>
  `${name.padEnd(22)} ${fmt(s.r1)}  ${fmt(s.r5)}  ${fmt(s.r10)}  ${fmt(s.mrr10)}`;

async function benchRetrieval(values: Record<string, string | boolean | undefined>) {
  const queriesPath = values.queries as string | undefined;
  const laws = values.laws as string | undefined;
  const articles = values.articles as string | undefined;
  if (!queriesPath || Boolean(laws) === Boolean(articles)) throw new Error(USAGE);
  const chunks = laws ? await loadLawChunks(laws) : loadArticleChunks(articles!);
  const queries = readJsonl<BenchQuery>(queriesPath);
  const bar = createProgressBar('queries');
  const result = await runRetrievalBench({
    chunks,
    queries,
    ownCorpus: Boolean(laws),
    vocabulary: benchVocabulary(),
    onProgress: bar.update,
  });
  console.log(
    `corpus: ${chunks.length} chunks; queries: ${result.queries} (skipped ${result.skipped})`,
  );
  console.log(`${'retriever'.padEnd(22)} R@1    R@5    R@10   MRR@10`);
  console.log(row('baseline bigram BM25', result.baseline));
  for (const [mode, summary] of Object.entries(result.ablations)) console.log(row(mode, summary));
  console.log(
    `latency p50 ${result.p50_ms.toFixed(1)} ms, p95 ${result.p95_ms.toFixed(1)} ms; build ${result.build_s.toFixed(1)} s; peak RSS ${Math.round(result.rss_mb)} MB`,
  );
  if (values.json) {
    const { queries, r1, r5, r10, mrr10, p50_ms, p95_ms, build_s, rss_mb, baseline } = result;
    console.log(
      JSON.stringify({ queries, r1, r5, r10, mrr10, p50_ms, p95_ms, build_s, rss_mb, baseline }),
    );
  }
}

async function benchReport(values: Record<string, string | boolean | undefined>) {
  const queriesPath = values.queries as string | undefined;
  if (!queriesPath) throw new Error(USAGE);
  const { chunks, skipped } = await loadKnowledgeChunks('knowledge');
  for (const line of skipped) console.log(`skipped ${line}`);
  const queries = readJsonl<ReportQuery>(queriesPath);
  const result = await runReportBench(chunks, queries, benchVocabulary());
  for (const miss of result.misses) console.log(`miss ${miss.id}: ${miss.missing.join(', ')}`);
  // The answer check: the look-up's reply, with the clock set just after the newest report.
  const loaded = await loadReports('knowledge');
  for (const s of loaded.skipped) console.log(`skipped ${s.source}: ${s.reason}`);
  const answers = runReportAnswerBench(loaded.reports, queries, benchToday(loaded.reports));
  for (const m of answers.misses) console.log(`answer miss ${m.id}: ${m.missing.join(', ')}`);
  for (const i of answers.invented) {
    console.log(`unanswerable but answered ${i.id}: ${i.text.split('\n')[0]}`);
  }
  const ok = answers.unanswerable_ok === null ? 'n/a' : fmt(answers.unanswerable_ok);
  console.log(
    `report questions: ${result.queries}; hit@5 ${fmt(result.hit5)}; answer contains every expected string ${fmt(answers.answer_contains)}; unanswerable said so ${ok}`,
  );
  if (values.json) {
    console.log(
      JSON.stringify({
        queries: queries.length,
        hit5: result.hit5,
        answer_contains: answers.answer_contains,
        unanswerable_ok: answers.unanswerable_ok,
      }),
    );
  }
}

async function benchAnswer(values: Record<string, string | boolean | undefined>) {
  const queriesPath = values.queries as string | undefined;
  const laws = values.laws as string | undefined;
  if (!queriesPath || !laws) throw new Error(USAGE);
  const knowledge = await loadKnowledgeChunks('knowledge');
  const chunks = [
    ...(await loadLawChunks(laws)),
    ...knowledge.chunks.filter((c) => c.meta.kind === 'guide'),
  ];
  const result = await runAnswerBench(
    chunks,
    readJsonl<BenchQuery>(queriesPath),
    benchVocabulary(),
    loadServices('knowledge/guides/本地法律服务.md'),
  );
  for (const key of result.fabricatedKeys) console.log(`cited but not in the corpus: ${key}`);
  console.log(
    `answers: ${result.queries}; citing a gold article ${fmt(result.cites_gold)}; fabricated citations ${result.fabricated}; latency p50 ${result.p50_ms.toFixed(1)} ms, p95 ${result.p95_ms.toFixed(1)} ms`,
  );
  if (values.json) {
    const { queries, cites_gold, fabricated, p95_ms } = result;
    console.log(JSON.stringify({ queries, cites_gold, fabricated, p95_ms }));
  }
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      queries: { type: 'string' },
      laws: { type: 'string' },
      articles: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const [command] = positionals;
  if (command === 'retrieval') return benchRetrieval(values);
  if (command === 'report') return benchReport(values);
  if (command === 'answer') return benchAnswer(values);
  throw new Error(USAGE);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
