import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { QuestionAnswerer, MAX_REPLY_CHARS } from '../../src/answer/answer-question.ts';
import { findCitedArticles } from '../../src/answer/cited-articles.ts';
import { DISCLAIMER } from '../../src/answer/compose-offline.ts';
import { loadServices } from '../../src/answer/services.ts';
import { loadKnowledgeChunks, loadLawChunks } from '../../src/bench/bench-corpus.ts';
import type { Chunk } from '../../src/ingest/types.ts';
import { buildRetriever } from '../../src/retrieve/build-retriever.ts';
import { loadVocabulary } from '../../src/retrieve/vocabulary.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
let answerer: QuestionAnswerer;
let lawKeys: Set<string>;

before(async () => {
  const laws = await loadLawChunks(`${ROOT}../shared/corpus/laws`);
  const knowledge = await loadKnowledgeChunks(`${ROOT}knowledge`);
  const internal: Chunk = {
    id: 'guides/内部.md#0',
    text: '常见问题：内部口径？内部工作口径：宅基地纠纷一律先压后办。',
    meta: {
      source: 'guides/内部.md',
      kind: 'guide',
      title: '内部口径',
      section: '常见问题：宅基地纠纷内部口径',
      audience: 'internal',
      lines: [1, 1],
    },
  };
  const chunks = [...laws, ...knowledge.chunks.filter((c) => c.meta.kind === 'guide'), internal];
  lawKeys = new Set(laws.map((c) => `${c.meta.title}|${c.meta.article}`));
  // The shipped vocabulary, as the bot runs: the synonym table and the article notes.
  const { synonyms, notes } = loadVocabulary(`${ROOT}knowledge`);
  const retriever = await buildRetriever({ chunks, synonyms, notes });
  answerer = new QuestionAnswerer(
    retriever,
    loadServices(`${ROOT}knowledge/guides/本地法律服务.md`),
  );
});

test('a resident gets a short plain-text answer with retrieved articles, where to go and the disclaimer', async () => {
  const reply = await answerer.answerQuestion('俺男人一喝酒就打人，骂得也可难听，能找谁帮忙');
  assert.ok(reply.text.length < MAX_REPLY_CHARS, `${reply.text.length} chars`);
  assert.doesNotMatch(reply.text, /\*\*|^#|^\s*[-*] /mu, 'no Markdown');
  assert.match(reply.text, /法律依据：\n1\. 《反家庭暴力法》第/u);
  assert.match(reply.text, /可以找：/u);
  assert.ok(reply.text.endsWith(DISCLAIMER));
  const cited = findCitedArticles(reply.text);
  assert.ok(cited.length >= 1);
  for (const key of cited)
    assert.ok(lawKeys.has(`${key.law}|${key.article}`), `${key.law}${key.article} exists`);
  assert.ok(reply.citations.some((c) => c.kind === 'law' && c.title === '反家庭暴力法'));
});

test('a guide matching only through legal terms, resting on no retrieved article, does not lead', async () => {
  // 犯法 expands to 治安管理处罚 …, which the 家暴 guide's 派出所 section shares; its 依据 are
  // not among the retrieved articles, so the answer quotes the personal-information articles.
  const reply = await answerer.answerQuestion('有人把俺的手机号和住址卖给搞推销的，这犯法不');
  assert.doesNotMatch(reply.text, /^【/u, 'no guide section leads');
  assert.match(reply.text, /法律依据：\n1\. 《(个人信息保护法|民法典|刑法|治安管理处罚法)》/u);
  assert.doesNotMatch(reply.text, /反家庭暴力法/u);
});

test('quotes the articles verbatim from the corpus', async () => {
  const reply = await answerer.answerQuestion('找村里调委会调解要交钱不？');
  assert.match(reply.text, /《人民调解法》第四条：“人民调解委员会调解民间纠纷，不收取任何费用。”/u);
});

test('danger puts 110 first', async () => {
  const reply = await answerer.answerQuestion('他正在打我，救命');
  assert.match(reply.text.split('\n')[0]!, /^【紧急】.*110/u);
  const threat = await answerer.answerQuestion('邻居拿刀说要砍死俺全家');
  assert.match(threat.text.split('\n')[0]!, /110/u);
  const selfHarm = await answerer.answerQuestion('欠了一屁股债，不想活了');
  assert.match(selfHarm.text.split('\n')[0]!, /120|110/u);
});

test('a question outside law gets a polite note and no citation; a greeting an introduction', async () => {
  const weather = await answerer.answerQuestion('今天天气咋样');
  assert.match(weather.text, /不在我能回答的范围/u);
  assert.deepEqual(findCitedArticles(weather.text), []);
  assert.match((await answerer.answerQuestion('你好')).text, /法治助手/u);
});

test('a legal-sounding question with nothing relevant says so honestly instead of inventing', async () => {
  const reply = await answerer.answerQuestion('手机没信号咋办');
  assert.match(reply.text, /没有找到/u);
  assert.deepEqual(findCitedArticles(reply.text), []);
  assert.deepEqual(reply.citations, []);
});

test('internal documents never reach a resident', async () => {
  const reply = await answerer.answerQuestion('宅基地纠纷内部口径是什么');
  assert.doesNotMatch(reply.text, /先压后办|内部口径/u);
  const staff = await answerer.answerQuestion('宅基地纠纷内部口径是什么', {
    audiences: ['public', 'internal'],
  });
  assert.match(staff.text, /先压后办/u);
});
