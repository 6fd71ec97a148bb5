import type { Audience } from '../ingest/types.ts';
import type { HybridRetriever, Passage } from '../retrieve/hybrid-search.ts';
import type { ChatModel } from './chat-model.ts';
import { checkModelAnswer } from './check-model-answer.ts';
import {
  bestSentence,
  citationOf,
  composeOfflineAnswer,
  DISCLAIMER,
  questionBigrams,
  type OfflineAnswer,
} from './compose-offline.ts';
import { ConversationMemory, withContext, type Turn } from './conversation-memory.ts';
import type { PromptTemplate } from './prompt-template.ts';
import { DANGER_LINES, detectDanger } from './danger.ts';
import type { Reply } from './reply.ts';
import { classifyScope } from './scope.ts';
import type { Service } from './services.ts';

export const MAX_REPLY_CHARS = 600;

const INTRO =
  '您好，我是松村镇法治助手。您可以问我法律问题（如宅基地、承包地、借钱、工资、家暴、邻里纠纷等），我会说明相关法律规定和可以去哪里求助。';
const OUT_OF_SCOPE =
  '这个问题不在我能回答的范围里。我是松村镇法治助手，只解答法律问题和办事去哪里找人，比如宅基地、土地承包、邻里纠纷、工资、婚姻家庭等。';

export interface AnswerOptions {
  /** Who may see what: residents and group chats get public documents only. */
  audiences?: Audience[];
  /** Chat + person: follow-up questions in the same conversation are read with the last one. */
  conversation?: string;
}

/** The model path, when a chat server is configured. */
export interface ModelPath {
  chat: ChatModel;
  prompt: PromptTemplate;
  /** Optional: rewrites the colloquial question into legal terms before retrieval. */
  rewritePrompt?: PromptTemplate;
  timeoutMs: number;
  town: string;
  /** Where failures and repairs are reported (never the question's personal data). */
  log?: (line: string) => void;
}

export const ANSWER_PROMPT_PLACEHOLDERS = ['town', 'history', 'passages', 'question'] as const;
export const REWRITE_PROMPT_PLACEHOLDERS = ['question'] as const;

const REWRITE_CACHE_SIZE = 500;
// The rewrite may use at most this share of the model timeout; the answer gets the rest.
const REWRITE_SHARE = 0.3;

/**
 * Answers a resident's question: danger first, then scope, then the extractive offline answer
 * from the retrieved articles and guides; with a model server, a written answer that must cite
 * the passages it was given, checked, and replaced by the offline answer when it fails.
 */
export class QuestionAnswerer {
  private readonly helpBySource = new Map<string, string>();
  private readonly articles = new Map<string, Passage>();
  private readonly rewrites = new Map<string, string>();

  constructor(
    private readonly retriever: HybridRetriever,
    private readonly services: Service[],
    private readonly model?: ModelPath,
    private readonly memory = new ConversationMemory(),
  ) {
    retriever.chunks.forEach((chunk, ordinal) => {
      const key = `${chunk.meta.title}|${chunk.meta.article}`;
      if (chunk.meta.kind === 'law' && chunk.meta.article && !this.articles.has(key)) {
        this.articles.set(key, { chunk, ordinal, score: 0 });
      }
    });
    for (const chunk of retriever.chunks) {
      if (chunk.meta.kind === 'guide' && /找谁帮忙/u.test(chunk.meta.section ?? '')) {
        const before = this.helpBySource.get(chunk.meta.source);
        this.helpBySource.set(chunk.meta.source, before ? `${before}\n${chunk.text}` : chunk.text);
      }
    }
  }

  async answerQuestion(question: string, options: AnswerOptions = {}): Promise<Reply> {
    const audiences = options.audiences ?? ['public'];
    const history = options.conversation ? this.memory.recall(options.conversation) : [];
    const searchText = withContext(question, history);
    const danger = detectDanger(question);
    const scope = classifyScope(searchText, this.retriever.synonyms);
    if (!danger && scope === 'small-talk') return { text: INTRO, citations: [] };

    const started = Date.now();
    const legalTerms = danger ? '' : await this.rewriteQuestion(searchText);
    const retrievalText = legalTerms ? `${searchText} ${legalTerms}` : searchText;
    const { expansion } = this.retriever.queryTerms(retrievalText);
    const [laws, guides] = await Promise.all([
      this.retriever.retrievePassages(retrievalText, {
        k: 8,
        filter: { kinds: ['law'], audiences },
      }),
      this.retriever.retrievePassages(retrievalText, {
        k: 5,
        filter: { kinds: ['guide'], audiences },
      }),
    ]);
    const base = {
      question: searchText,
      focus: question,
      expansion: legalTerms ? [...expansion, legalTerms] : expansion,
      guides: guides.filter((p) => !/找谁帮忙/u.test(p.chunk.meta.section ?? '')),
      services: this.services,
      helpFor: (source: string) => this.helpBySource.get(source),
      lookupArticle: (law: string, article: string) => {
        const passage = this.articles.get(`${law}|${article}`);
        return passage && audiences.includes(passage.chunk.meta.audience) ? passage : undefined;
      },
      ...(danger && { dangerLine: DANGER_LINES[danger] }),
    };
    // Fewer quoted articles until the reply fits a chat message.
    let offline: OfflineAnswer = composeOfflineAnswer({ ...base, laws });
    for (let articles = 2; articles >= 1 && offline.text.length > MAX_REPLY_CHARS; articles--) {
      offline = composeOfflineAnswer({ ...base, laws, maxArticles: articles });
    }
    // Outside the legal vocabulary, answer only when a guide (a township notice, say) fits.
    if (!danger && scope === 'out-of-scope' && !offline.guide) {
      return { text: OUT_OF_SCOPE, citations: [] };
    }
    let reply: Reply = { text: offline.text, citations: offline.citations };
    if (this.model && offline.grounded) {
      const remaining = this.model.timeoutMs - (Date.now() - started);
      reply =
        (await this.answerWithModel(question, history, offline, base.dangerLine, remaining)) ??
        reply;
    }
    if (options.conversation) this.memory.remember(options.conversation, question, reply.text);
    return reply;
  }

  /**
   * Legal search terms for a colloquial question, from the model (cached per question). Empty
   * when there is no model or rewrite prompt, or the model fails or is slow: retrieval then
   * runs on the question and the synonym table alone.
   */
  private async rewriteQuestion(question: string): Promise<string> {
    const model = this.model;
    if (!model?.rewritePrompt) return '';
    const cached = this.rewrites.get(question);
    if (cached !== undefined) return cached;
    let terms = '';
    try {
      const raw = await model.chat.complete(
        model.rewritePrompt.render({ question }),
        AbortSignal.timeout(Math.max(1, Math.round(model.timeoutMs * REWRITE_SHARE))),
      );
      // One line of words; anything that looks like a citation is not a search term.
      terms = raw
        .split('\n')[0]!
        .replace(/《[^》]*》|第[^条\s]{1,10}条/gu, ' ')
        .replace(/[^\p{Script=Han}\s]/gu, ' ')
        .replace(/\s+/gu, ' ')
        .trim()
        .slice(0, 80);
    } catch (error) {
      model.log?.(
        `question rewrite failed (${(error as Error).message}); searching with the question`,
      );
      return '';
    }
    this.rewrites.set(question, terms);
    if (this.rewrites.size > REWRITE_CACHE_SIZE)
      this.rewrites.delete(this.rewrites.keys().next().value!);
    return terms;
  }

  /** The model's answer, checked; undefined (so the offline answer stands) on any failure. */
  private async answerWithModel(
    question: string,
    history: readonly Turn[],
    offline: OfflineAnswer,
    dangerLine: string | undefined,
    timeoutMs: number,
  ): Promise<Reply | undefined> {
    const model = this.model!;
    const given = [...offline.laws, ...(offline.guide ? [offline.guide] : [])];
    const passages = given
      .map((p, i) => {
        const { title, article, section } = p.chunk.meta;
        const label =
          p.chunk.meta.kind === 'law'
            ? `《${title}》${article ?? ''}`
            : `《${title}》${section ?? ''}`;
        return `[${i + 1}] ${label}：${p.chunk.text.replace(/\s+/gu, '')}`;
      })
      .join('\n');
    const prompt = model.prompt.render({
      town: model.town,
      history: history.length
        ? `之前的对话：\n${history.map((t) => `村民：${t.question}\n助手：${t.answer.split('\n')[0]}`).join('\n')}`
        : '',
      passages,
      question,
    });
    let raw: string;
    try {
      raw = await model.chat.complete(prompt, AbortSignal.timeout(Math.max(timeoutMs, 1)));
    } catch (error) {
      model.log?.(
        `model ${model.chat.id} failed (${(error as Error).message}); using the offline answer`,
      );
      return undefined;
    }
    const checked = checkModelAnswer(raw, given.length, (law, article) =>
      this.articles.has(`${law}|${article}`),
    );
    if (!checked) {
      model.log?.(`model answer cited no given passage; using the offline answer`);
      return undefined;
    }
    for (const repair of checked.repairs) model.log?.(`model answer repaired: ${repair}`);
    const used = checked.cited.map((n) => given[n - 1]!);
    const bigrams = questionBigrams(question, []);
    const basis = used
      .filter((p) => p.chunk.meta.kind === 'law')
      .map(
        (p, i) =>
          `${i + 1}. 《${p.chunk.meta.title}》${p.chunk.meta.article ?? ''}：“${bestSentence(p.chunk.text, bigrams)}”`,
      );
    const lines = [
      ...(dangerLine ? [`【紧急】${dangerLine}`] : []),
      checked.text,
      ...(basis.length ? ['法律依据：', ...basis] : []),
      ...(offline.whereLine ? [offline.whereLine] : []),
      DISCLAIMER,
    ];
    const text = lines.join('\n');
    if (text.length > MAX_REPLY_CHARS) return undefined;
    return { text, citations: used.map(citationOf) };
  }
}
