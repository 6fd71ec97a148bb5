import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import iconv from 'iconv-lite';
import type { Chunk } from '../../src/ingest/types.ts';
import { lawChunk } from '../helpers/law-chunk.ts';
import {
  attachNotes,
  hanOnly,
  loadArticleNotes,
  parseArticleNotes,
} from '../../src/retrieve/article-notes.ts';
import { buildRetriever } from '../../src/retrieve/build-retriever.ts';
import { DEFAULT_FUSION } from '../../src/retrieve/hybrid-search.ts';

// A guide whose title and article would match a note: guides never get notes.
const guide = (title: string, article: string, text: string, i: number): Chunk => {
  const chunk = lawChunk(title, article, text, i);
  return { ...chunk, meta: { ...chunk.meta, kind: 'guide', source: `guides/${title}.md` } };
};

const CHUNKS: Chunk[] = [
  lawChunk(
    '农村土地承包法',
    '第三十一条',
    '承包期内，妇女结婚，在新居住地未取得承包地的，发包方不得收回其原承包地。',
    1,
  ),
  lawChunk('农村土地承包法', '第三十二条', '承包人应得的承包收益，依照继承法的规定继承。', 2),
  // One long article in two parts.
  lawChunk(
    '民法典',
    '第一千零七十九条',
    '夫妻一方要求离婚的，可以由有关组织进行调解或者直接向人民法院提起离婚诉讼。',
    3,
  ),
  lawChunk(
    '民法典',
    '第一千零七十九条',
    '经人民法院判决不准离婚后，双方又分居满一年，一方再次提起离婚诉讼的，应当准予离婚。',
    4,
  ),
  guide('农村土地承包法', '第三十一条', '出嫁女的地，先找村调委会。', 5),
  // A look-alike: shares the question's words but not its situation.
  lawChunk('土地管理法', '第六十六条', '村集体经济组织收回口粮田的，应当保障村民的口粮。', 6),
];

test('parses note lines and names every skipped line with its file, line and reason', () => {
  const { notes, problems } = parseArticleNotes(
    [
      '# 注释',
      '中华人民共和国农村土地承包法\t第三十一条\t闺女出嫁地被收回；嫁到外村承包地\t承包期内，妇女结婚',
      '民法典\t第一千零七十九条\t闹离婚去法院起诉;分居两年能判离吗',
      '民法典\t一千零七十九\t没有第和条',
      '民法典 第一千零七十九条 用空格分隔',
      '刑法\t第二百五十三条之一\t卖别人信息犯法吗；倒卖手机号',
      '刑法\t第10条\t阿拉伯数字的条号',
      '刑法\t第三条\t；；',
      '刑法\t第四条\t人人平等\t1.2',
      '',
    ].join('\n'),
    'notes.tsv',
  );
  assert.deepEqual(notes[0], {
    law: '农村土地承包法',
    article: '第三十一条',
    phrases: ['闺女出嫁地被收回', '嫁到外村承包地'],
    anchor: '承包期内妇女结婚',
  });
  assert.deepEqual(notes[1]!.phrases, ['闹离婚去法院起诉', '分居两年能判离吗']);
  assert.deepEqual(
    notes.slice(2).map((n) => n.article),
    ['第二百五十三条之一', '第10条'],
  );
  assert.deepEqual(problems, [
    'notes.tsv:4: "一千零七十九" is not an article number like 第十条',
    'notes.tsv:5: expected "法名<TAB>第X条<TAB>说法；说法[<TAB>条文开头]", tab-separated; found 1 column(s)',
    'notes.tsv:8: no phrases in the third column (separate them with ；)',
    'notes.tsv:9: the opening "1.2" has no Chinese characters',
  ]);
});

test('loads every .tsv file of the folder in name order, UTF-8 or GBK; names what it cannot read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'notes-'));
  writeFileSync(
    join(dir, 'b.tsv'),
    iconv.encode('民法典\t第一千零七十九条\t起诉离婚；判离\n', 'gbk'),
  );
  writeFileSync(join(dir, 'a.tsv'), '民法典\t第一千零七十九条\t闹离婚\nbad line\n');
  writeFileSync(join(dir, 'readme.md'), '民法典\t第一条\t不读\n');
  mkdirSync(join(dir, 'c.tsv')); // a folder with a note file's name is not a file
  const loaded = loadArticleNotes(dir);
  assert.deepEqual(
    loaded.notes.map((n) => n.phrases[0]),
    ['闹离婚', '起诉离婚'],
  );
  assert.deepEqual(loaded.problems, [
    'a.tsv:2: expected "法名<TAB>第X条<TAB>说法；说法[<TAB>条文开头]", tab-separated; found 1 column(s)',
  ]);
  assert.deepEqual(loadArticleNotes(join(dir, 'nope')), { notes: [], problems: [] });
  const notAFolder = loadArticleNotes(join(dir, 'a.tsv'));
  assert.equal(notAFolder.notes.length, 0);
  assert.match(notAFolder.problems[0]!, /a\.tsv: unreadable \(ENOTDIR\)$/u);
});

test('attaches notes to the first part of their article, adds up lines, skips other versions', () => {
  const { notes } = parseArticleNotes(
    [
      '农村土地承包法\t第三十一条\t闺女出嫁地被收回；嫁到外村\t承包期内妇女结婚',
      '民法典\t第一千零七十九条\t闹离婚；分居两年',
      '民法典\t第一千零七十九条\t男人赌博要离婚；不判离',
      // Written for a version whose 第三十二条 begins differently: not attached.
      '农村土地承包法\t第三十二条\t土地经营权入股；入股合作社\t土地经营权可以',
      '农村土地承包法\t第九十九条\t没有这一条；写错了',
      '刑法\t第一条\t不在索引里的法律；不挂',
    ].join('\n'),
  );
  const { texts, unattached } = attachNotes(CHUNKS, notes);
  assert.deepEqual(texts, [
    '闺女出嫁地被收回；嫁到外村',
    '',
    '闹离婚；分居两年；男人赌博要离婚；不判离',
    '', // the second part of the same article is found through the first
    '', // a guide, even one whose title and number match a note
    '',
  ]);
  assert.deepEqual(
    unattached.map((n) => `${n.law}${n.article}`),
    ['农村土地承包法第三十二条', '农村土地承包法第九十九条'],
    'notes for laws that are not indexed at all are not reported',
  );
  assert.equal(hanOnly('第1条 承包期内，妇女结婚'), '第条承包期内妇女结婚');
});

test('a law indexed in two versions gets each note on the version its opening fits', () => {
  const chunks = [
    lawChunk('土地法', '第二条', '旧文本：集体土地归村集体所有。', 1, '土地法-旧'),
    lawChunk('土地法', '第二条', '新文本：土地承包经营权受保护。', 2, '土地法-新'),
  ];
  const { notes } = parseArticleNotes('土地法\t第二条\t村里的地归谁；集体所有\t新文本');
  assert.deepEqual(attachNotes(chunks, notes).texts, ['', '村里的地归谁；集体所有']);
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

test('the notes never bring a passage past a filter, and their weight can switch them off', async () => {
  const { notes } = parseArticleNotes('农村土地承包法\t第三十一条\t出嫁女的地；闺女出门子');
  const retriever = await buildRetriever({ chunks: CHUNKS, notes });
  const guides = await retriever.retrievePassages('出嫁女的地', {
    k: 5,
    mode: 'lexical',
    filter: { kinds: ['guide'] },
  });
  assert.deepEqual(
    guides.map((p) => p.chunk.meta.kind),
    ['guide'],
  );
  const [hit] = await retriever.retrievePassages('闺女出门子', { k: 1, mode: 'lexical' });
  assert.equal(hit!.noteRank, 1);
  assert.equal(hit!.notes, '出嫁女的地；闺女出门子', 'the passage carries its notes');
  const off = await buildRetriever({
    chunks: CHUNKS,
    notes,
    fusion: { ...DEFAULT_FUSION, notes: 0 },
  });
  const [plain] = await off.retrievePassages('闺女出门子', { k: 1, mode: 'lexical' });
  assert.equal(plain!.noteRank, undefined, 'weight 0: the notes index is not searched');
});
