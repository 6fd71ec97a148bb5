import type { Audience } from '../ingest/types.ts';
import type { HybridRetriever, Passage } from '../retrieve/hybrid-search.ts';
import { composeOfflineAnswer, DISCLAIMER } from './compose-offline.ts';
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
}

/**
 * Answers a resident's question on the offline path: danger first, then scope, then the
 * extractive answer from the retrieved articles and guides.
 */
export class QuestionAnswerer {
  private readonly helpBySource = new Map<string, string>();
  private readonly articles = new Map<string, Passage>();

  constructor(
    private readonly retriever: HybridRetriever,
    private readonly services: Service[],
  ) {
    retriever.chunks.forEach((chunk, ordinal) => {
      const key = `${chunk.meta.title}|${chunk.meta.article}`;
      if (chunk.meta.kind === 'law' && chunk.meta.article && !this.articles.has(key)) {
        this.articles.set(key, { chunk, ordinal, score: 0, coverage: 0 });
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
    const danger = detectDanger(question);
    const scope = classifyScope(question, this.retriever.synonyms);
    if (!danger && scope === 'small-talk') return { text: INTRO, citations: [] };
    if (!danger && scope === 'out-of-scope') return { text: OUT_OF_SCOPE, citations: [] };

    const { expansion } = this.retriever.queryTerms(question);
    const [laws, guides] = await Promise.all([
      this.retriever.retrievePassages(question, { k: 8, filter: { kinds: ['law'], audiences } }),
      this.retriever.retrievePassages(question, { k: 5, filter: { kinds: ['guide'], audiences } }),
    ]);
    const base = {
      question,
      expansion,
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
    for (let articles = 3; articles >= 1; articles--) {
      const answer = composeOfflineAnswer({ ...base, laws, maxArticles: articles });
      if (answer.text.length <= MAX_REPLY_CHARS || articles === 1) {
        return { text: answer.text, citations: answer.citations };
      }
    }
    return { text: DISCLAIMER, citations: [] };
  }
}
