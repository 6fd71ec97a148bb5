/** What kind of emergency a message describes, if any: these replies put 110/120 first. */
export type Danger = 'violence' | 'self-harm' | 'threat';

// Each pattern describes something happening now or about to, not a past event asked about.
const PATTERNS: [Danger, RegExp][] = [
  ['self-harm', /(不想活|想死|活不下去|寻死|自杀|轻生|喝农药|跳河|跳楼|割腕|上吊)/u],
  ['threat', /(要杀|杀了我|弄死我|砍死|拿刀|持刀|扬言.{0,6}(杀|砍|炸)|放火烧|要炸)/u],
  [
    'violence',
    /(正在打|正打着|还在打|往死里打|打得.{0,4}(流血|起不来|晕)|救命|被关起来|不让我走)/u,
  ],
];

export function detectDanger(text: string): Danger | undefined {
  return PATTERNS.find(([, pattern]) => pattern.test(text))?.[0];
}

export const DANGER_LINES: Record<Danger, string> = {
  'self-harm':
    '如果您或身边的人有轻生的念头，请马上拨打120急救或110报警。您不是一个人，身边的人和政府都能帮您。',
  threat: '有人威胁人身安全，请立即拨打110报警，离开危险地方，到人多的地方或亲友家。',
  violence: '正在发生暴力，请立即拨打110报警；有人受伤请拨打120。',
};
