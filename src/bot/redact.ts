// Mainland ID numbers (18 digits, last may be X) and mobile numbers.
const ID_NUMBER = /(?<!\d)\d{17}[\dXx](?!\d)/gu;
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/gu;

/** Whether a text holds personal numbers that must not be repeated in a group. */
export function hasPersonalNumbers(text: string): boolean {
  return new RegExp(ID_NUMBER.source, 'u').test(text) || new RegExp(MOBILE.source, 'u').test(text);
}

/** Masks ID and phone numbers, and any of the given secrets, for logs and group replies. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(ID_NUMBER, '[身份证号]').replace(MOBILE, '[手机号]');
  for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join('[密钥]');
  return out;
}
