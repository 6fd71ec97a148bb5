export interface Turn {
  question: string;
  answer: string;
  at: number;
}

export interface MemoryOptions {
  /** Turns kept per conversation. */
  maxTurns?: number;
  /** A conversation idle longer than this is forgotten. */
  ttlMs?: number;
  /** Conversations kept at most; the least recently used go first. */
  maxConversations?: number;
  now?: () => number;
}

/**
 * A short, bounded history per person per chat, so "那要花钱不？" can be read against the
 * previous question. Bounded three ways: turns, idle time, number of conversations.
 */
export class ConversationMemory {
  private readonly turns = new Map<string, Turn[]>();
  private readonly maxTurns: number;
  private readonly ttlMs: number;
  private readonly maxConversations: number;
  private readonly now: () => number;

  constructor(options: MemoryOptions = {}) {
    this.maxTurns = options.maxTurns ?? 3;
    this.ttlMs = options.ttlMs ?? 10 * 60 * 1000;
    this.maxConversations = options.maxConversations ?? 5000;
    this.now = options.now ?? Date.now;
  }

  /** The turns of a conversation that are still fresh, oldest first. */
  recall(conversation: string): Turn[] {
    const turns = this.turns.get(conversation);
    if (!turns) return [];
    const last = turns[turns.length - 1]!;
    if (this.now() - last.at > this.ttlMs) {
      this.turns.delete(conversation);
      return [];
    }
    return turns;
  }

  remember(conversation: string, question: string, answer: string): void {
    const turns = this.recall(conversation).concat({ question, answer, at: this.now() });
    this.turns.delete(conversation); // re-insert: Map order is the recency order
    this.turns.set(conversation, turns.slice(-this.maxTurns));
    while (this.turns.size > this.maxConversations) {
      this.turns.delete(this.turns.keys().next().value!);
    }
  }

  get size(): number {
    return this.turns.size;
  }
}

// "那要花钱不？", "还能咋办", "要是他不同意呢": short questions leaning on the previous one.
const FOLLOW_UP = /^(那|那么|还|要是|如果|另外|再|他|她|这|这个|那个)|[呢吗不]？?$/u;

/** The text to retrieve with: a follow-up is read together with the previous question. */
export function withContext(question: string, history: readonly Turn[]): string {
  const previous = history[history.length - 1];
  if (!previous) return question;
  const isFollowUp = question.length <= 12 && FOLLOW_UP.test(question.trim());
  return isFollowUp ? `${previous.question} ${question}` : question;
}
