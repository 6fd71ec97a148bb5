import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Chunk } from '../../src/ingest/types.ts';
import {
  hanOnly,
  loadArticleNotes,
  noteTextByChunk,
  parseArticleNotes,
} from '../../src/retrieve/article-notes.ts';
import { buildRetriever } from '../../src/retrieve/build-retriever.ts';

const law = (title: string, article: string, text: string, i: number): Chunk => ({
  id: `${title}#${i}`,
  text,
  meta: {
    source: `laws/${title}.md`,
    kind: 'law',
    title,
    article,
    audience: 'public',
    lines: [i, i],
  },
});

const guide = (title: string, text: string, i: number): Chunk => {
  const chunk = law(title, '', text, i);
  return { ...chunk, meta: { ...chunk.meta, kind: 'guide', source: `guides/${title}.md` } };
};

// Three articles (one in two chunks) and a guide; the question below shares no content word with the one that answers it.
const CHUNKS: Chunk[] = [
  law(
    '农村土地承包法',
    '第三十一条',
    '承包期内，妇女结婚，在新居住地未取得承包地的，发包方不得收回其原承包地。',
    1,
  ),
  law('农村土地承包法', '第三十二条', '承包人应得的承包收益，依照继承法的规定继承。', 2),
  law(
    '民法典',
    '第一千零七十九条',
    '夫妻一方要求离婚的，可以由有关组织进行调解或者直接向人民法院提起离婚诉讼。',
    3,
  ),
  law(
    '民法典',
    '第一千零七十九条',
    '经人民法院判决不准离婚后，双方又分居满一年，一方再次提起离婚诉讼的，应当准予离婚。',
    4,
  ),
  guide('妇女土地权益', '出嫁女的地，先找村调委会。', 5),
  // A look-alike: shares the question's words but not its situation.
  law('土地管理法', '第六十六条', '村集体经济组织收回口粮田的，应当保障村民的口粮。', 6),
];

test('parses note lines and names every skipped line with its file and line number', () => {
  const { notes, problems } = parseArticleNotes(
    [
      '# 注释',
      '中华人民共和国农村土地承包法\t第三十一条\t闺女出嫁地被收回；嫁到外村承包地\t承包期内妇女结婚',
      '民法典\t第一千零七十九条\t闹离婚去法院起诉;分居两年能判离吗',
      '民法典\t一千零七十九\t没有第和条',
      '民法典 第一千零七十九条 用空格分隔',
      '刑法\t第二百五十三条之一\t卖别人信息犯法吗；倒卖手机号',
      '',
    ].join('\n'),
    'notes.tsv',
  );
  assert.equal(notes.length, 3);
  assert.deepEqual(notes[0], {
    law: '农村土地承包法',
    article: '第三十一条',
    phrases: ['闺女出嫁地被收回', '嫁到外村承包地'],
    anchor: '承包期内妇女结婚',
  });
  assert.deepEqual(notes[1]!.phrases, ['闹离婚去法院起诉', '分居两年能判离吗']);
  assert.equal(notes[2]!.article, '第二百五十三条之一');
  assert.equal(problems.length, 2);
  assert.match(problems[0]!, /^notes\.tsv:4: expected "法名<TAB>第X条<TAB>说法；说法"/u);
  assert.match(problems[1]!, /^notes\.tsv:5: /u);
});

test('loads every .tsv of the folder in name order; a missing folder means no notes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'notes-'));
  writeFileSync(join(dir, 'b.tsv'), '民法典\t第一千零七十九条\t起诉离婚；判离\n');
  writeFileSync(join(dir, 'a.tsv'), '民法典\t第一千零七十九条\t闹离婚\nbad line\n');
  writeFileSync(join(dir, 'readme.md'), '民法典\t第一条\t不读\n');
  const loaded = loadArticleNotes(dir);
  assert.deepEqual(
    loaded.notes.map((n) => n.phrases[0]),
    ['闹离婚', '起诉离婚'],
  );
  assert.deepEqual(loaded.problems, [
    'a.tsv:2: expected "法名<TAB>第X条<TAB>说法；说法" (tabs between the columns), got "bad line"',
  ]);
  assert.deepEqual(loadArticleNotes(join(dir, 'nope')), { notes: [], problems: [] });
});

test('attaches notes to every chunk of their article, adds up lines, skips other versions', () => {
  const { notes } = parseArticleNotes(
    [
      '农村土地承包法\t第三十一条\t闺女出嫁地被收回；嫁到外村\t承包期内妇女结婚',
      '民法典\t第一千零七十九条\t闹离婚；分居两年',
      '民法典\t第一千零七十九条\t男人赌博要离婚；不判离',
      // Written for a version whose 第三十二条 says something else: not attached.
      '农村土地承包法\t第三十二条\t土地经营权入股；入股合作社\t土地经营权可以',
      '刑法\t第一条\t不在索引里；不挂',
    ].join('\n'),
  );
  const texts = noteTextByChunk(CHUNKS, notes);
  assert.deepEqual(texts, [
    '闺女出嫁地被收回；嫁到外村',
    '',
    '闹离婚；分居两年；男人赌博要离婚；不判离',
    '闹离婚；分居两年；男人赌博要离婚；不判离',
    '',
    '',
  ]);
  assert.equal(hanOnly('第1条 承包期内，妇女结婚'), '第条承包期内妇女结婚');
});

test('a plain-speech question finds its article through the notes, and not without them', async () => {
  const question = '闺女出门子了，那份口粮田还保得住不';
  const { notes } = parseArticleNotes(
    '农村土地承包法\t第三十一条\t闺女出门子地被收回；出嫁女的口粮田',
  );
  const articles = CHUNKS.filter((c) => c.meta.kind === 'law');
  const top = async (withNotes: boolean) => {
    const retriever = await buildRetriever({
      chunks: articles,
      ...(withNotes && { notes }),
    });
    const passages = await retriever.retrievePassages(question, { k: 2, mode: 'lexical' });
    return passages.map((p) => `${p.chunk.meta.title}${p.chunk.meta.article}`);
  };
  assert.equal((await top(true))[0], '农村土地承包法第三十一条');
  assert.notEqual((await top(false))[0], '农村土地承包法第三十一条');
});
