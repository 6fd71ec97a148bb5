import { normalizeText } from '../index/tokenize.ts';
import { matchesColloquial, type SynonymEntry } from '../retrieve/query-expansion.ts';

// Words that mark a question as being about law, rights or local procedure, beyond the
// colloquial phrases of the synonym table.
const LEGAL_MARKERS =
  /(法|律|权|罚|告|诉|赔|偿|犯|违|罪|判|证|纠纷|合同|协议|调解|仲裁|复议|信访|上访|报警|派出所|司法所|法院|律师|援助|补偿|补贴|承包|宅基|征地|拆迁|离婚|结婚|彩礼|继承|遗嘱|遗产|赡养|抚养|家暴|打人|工资|工伤|社保|保险|借钱|欠钱|欠款|欠条|借条|利息|诈骗|骗|偷|抢|拘留|罚款|村委|选举|低保|户口|身份证|土地|房子|盖房|办事|手续|申请|审批|投诉|举报|维权|责任|义务|可以吗|合法|违法|犯法|算不算|能不能|咋办|怎么办)/u;

const SMALL_TALK =
  /^(你好|您好|在吗|在不在|谢谢|多谢|哈+|嗯+|好的?|ok|hi|hello|早上好|晚上好|再见)[!！。.~～]*$/iu;

export type Scope = 'legal' | 'small-talk' | 'out-of-scope';

/**
 * Whether a message is something the assistant is for. It answers law and local-procedure
 * questions; greetings get a short introduction; anything else a polite note on what it does.
 */
export function classifyScope(text: string, synonyms: readonly SynonymEntry[]): Scope {
  const normalized = normalizeText(text).trim();
  if (SMALL_TALK.test(normalized)) return 'small-talk';
  if (LEGAL_MARKERS.test(normalized)) return 'legal';
  if (synonyms.some((s) => matchesColloquial(normalized, s.colloquial))) return 'legal';
  return 'out-of-scope';
}
