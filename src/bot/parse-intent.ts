/** What a message asks for: an explicit command, or (without one) a legal question. */
export type Intent =
  | { kind: 'help' }
  | { kind: 'draft'; section: string; notes: string }
  | { kind: 'lookup'; query: string }
  | { kind: 'reindex' }
  | { kind: 'status' }
  | { kind: 'question'; text: string };

const COMMAND = /^(帮助|help|起草|查询?|重建索引|状态)(?:[\s:：]+|$)([\s\S]*)$/iu;

/**
 * Commands come first on the message: "起草 存在的不足\n- 普法宣传不够…", "查 矛盾纠纷",
 * "重建索引", "状态", "帮助". Anything else is a question.
 */
export function parseIntent(text: string): Intent {
  const match = COMMAND.exec(text.trim());
  if (!match) return { kind: 'question', text: text.trim() };
  const [, command, rest = ''] = match;
  switch (command!.toLowerCase()) {
    case '帮助':
    case 'help':
      return { kind: 'help' };
    case '起草': {
      const [first = '', ...more] = rest.split('\n');
      return { kind: 'draft', section: first.trim(), notes: more.join('\n').trim() };
    }
    case '查':
    case '查询':
      return { kind: 'lookup', query: rest.trim() };
    case '重建索引':
      return { kind: 'reindex' };
    default:
      return { kind: 'status' };
  }
}
