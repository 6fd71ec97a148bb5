import { loadLawChunks, readJsonl } from './src/bench/bench-corpus.ts';
import { Bm25Index } from './src/index/bm25-index.ts';
import { tokenize } from './src/index/tokenize.ts';
import { lexicalText, HybridRetriever, DEFAULT_FUSION } from './src/retrieve/hybrid-search.ts';
import { loadSynonyms } from './src/retrieve/query-expansion.ts';
import { HashedNgramEmbeddings } from './src/index/hashed-embeddings.ts';
import { DenseIndex } from './src/index/dense-index.ts';
import { dedupeKeys, keyOf, scoreQuery, summarize } from './src/bench/scoring.ts';
const chunks = await loadLawChunks('../shared/corpus/laws');
const syn = loadSynonyms('knowledge/synonyms.tsv');
const sets = {
  dev: readJsonl<any>('../shared/bench/dev.jsonl').filter((q) => q.gold.every((g: any) => g.in_corpus !== false)),
  town: readJsonl<any>('../shared/bench/township-dev.jsonl'),
  mine: readJsonl<any>('test/fixtures/township-questions.jsonl'),
};
const emb = new HashedNgramEmbeddings(1024); emb.fit(chunks.map(lexicalText));
const vecs = await emb.embedDocuments(chunks.map(lexicalText));
const dense = await DenseIndex.build(emb, vecs, chunks.map(c => c.text));
const variants = JSON.parse(process.argv[2] ?? '[{}]');
for (const v of variants) {
  const lexical = new Bm25Index(chunks.map((c) => tokenize(lexicalText(c))), { k1: v.k1 ?? 1.2, b: v.b ?? 0.75 });
  const r = new HybridRetriever({ chunks, lexical, dense, embeddings: emb, synonyms: v.nosyn ? [] : syn }, { ...DEFAULT_FUSION, ...v.fusion });
  const out: string[] = [];
  for (const [name, qs] of Object.entries(sets)) {
    const scores = [];
    for (const q of qs) {
      const ps = await r.retrievePassages(q.query, { k: 30, mode: v.mode ?? 'hybrid' });
      scores.push(scoreQuery(dedupeKeys(ps.map((p) => ({ law: p.chunk.meta.title, article: p.chunk.meta.article ?? '' }))), q.gold.map(keyOf)));
    }
    const s = summarize(scores);
    out.push(`${name} R10 ${s.r10.toFixed(3)} MRR ${s.mrr10.toFixed(3)}`);
  }
  console.log(JSON.stringify(v), '|', out.join(' | '));
}
