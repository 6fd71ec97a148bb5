// Mainland ID numbers (18 digits, last may be X) and mobile numbers, as people type them: ASCII
// or full-width digits (input methods), often grouped (138 1234 5678, 110101 19900307 123X).
const DIGIT = '[0-9０-９]';
const GAP = '[ \\-－]?';
const ID_NUMBER = new RegExp(
  `(?<!${DIGIT})${DIGIT}{6}${GAP}${DIGIT}{8}${GAP}${DIGIT}{3}[0-9０-９XxＸｘ](?!${DIGIT})`,
  'gu',
);
const MOBILE = new RegExp(
  `(?<!${DIGIT})(?:\\+?(?:86|８６)${GAP})?[1１][3-9３-９]${DIGIT}${GAP}${DIGIT}{4}${GAP}${DIGIT}{4}(?!${DIGIT})`,
  'gu',
);

/** Whether a text holds personal numbers that must not be repeated in a group. */
export function hasPersonalNumbers(text: string): boolean {
  return personalNumbers(text).length > 0;
}

/** Masks the given secrets (API keys, tokens). */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join('[密钥]');
  return out;
}

/** Masks ID and phone numbers, and any of the given secrets, for logs and group replies. */
export function redact(text: string, secrets: readonly string[] = []): string {
  return maskSecrets(text.replace(ID_NUMBER, '[身份证号]').replace(MOBILE, '[手机号]'), secrets);
}

const SEPARATORS = '[\\s\\-－]*';
const fullWidth = (c: string) => String.fromCharCode(c.charCodeAt(0) + 0xfee0);

/** The ID and mobile numbers of a text, as plain ASCII digits (separators and +86 dropped). */
function personalNumbers(text: string): { digits: string; label: string }[] {
  const plain = (match: string, length: number) =>
    match
      .normalize('NFKC')
      .replace(/[^0-9Xx]/gu, '')
      .slice(-length)
      .toUpperCase();
  return [
    ...[...text.matchAll(ID_NUMBER)].map((m) => ({ digits: plain(m[0], 18), label: '[身份证号]' })),
    ...[...text.matchAll(MOBILE)].map((m) => ({ digits: plain(m[0], 11), label: '[手机号]' })),
  ];
}

/**
 * Masks in a reply every ID or mobile number the incoming message held, however the reply spaces
 * or widens it: a group never sees a member's number repeated, whichever command echoed it, while
 * numbers the bot itself gives (a mediator's mobile in the services list) stay readable.
 */
export function maskEchoedNumbers(reply: string, incoming: string): string {
  let out = reply;
  for (const { digits, label } of personalNumbers(incoming)) {
    const pattern = [...digits]
      .map((c) => (c === 'X' ? '[XxＸｘ]' : `[${c}${fullWidth(c)}]`))
      .join(SEPARATORS);
    out = out.replace(new RegExp(`(?<![0-9０-９])${pattern}(?![0-9０-９])`, 'gu'), label);
  }
  return out;
}
