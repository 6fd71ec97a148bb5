import { readFileSync } from 'node:fs';

/** One local service from knowledge/guides/本地法律服务.md, with the phone the township filled in. */
export interface Service {
  name: string;
  phone?: string;
}

// The words that identify a service whatever the place prefix (松村镇司法所 = 镇司法所).
const SERVICE_KEYS = [
  '司法所',
  '派出所',
  '法院',
  '法律援助',
  '调解委员会',
  '调委会',
  '村民委员会',
  '村委会',
  '人民政府',
  '信访',
  '综治',
  '民政',
  '妇联',
  '劳动',
  '人力资源',
  '自然资源',
  '林业',
  '交警',
  '公安',
];

const PLACEHOLDER = /【待填写/u;

function keysOf(name: string): string[] {
  return SERVICE_KEYS.filter((key) => name.includes(key));
}

/** Reads `## 名称` sections and their 电话 line; placeholder phones are left out. */
export function parseServices(markdown: string): Service[] {
  const services: Service[] = [];
  let current: Service | undefined;
  for (const raw of markdown.split('\n')) {
    const line = raw.trim();
    const heading = /^##\s+(.+)$/u.exec(line);
    if (heading) {
      current = { name: heading[1]!.trim() };
      services.push(current);
      continue;
    }
    const phone = /电话[^:：]*[:：]\s*(.+)$/u.exec(line);
    if (current && phone && !PLACEHOLDER.test(phone[1]!) && !current.phone) {
      current.phone = phone[1]!.replace(/[*`]/gu, '').trim();
    }
  }
  return services;
}

export function loadServices(path: string): Service[] {
  try {
    return parseServices(readFileSync(path, 'utf8'));
  } catch {
    return [];
  }
}

/** The phone of the service a guide names ("镇司法所"), when the township has filled it in. */
export function phoneFor(name: string, services: readonly Service[]): string | undefined {
  const keys = keysOf(name);
  if (!keys.length) return undefined;
  return services.find((s) => keysOf(s.name).some((k) => keys.includes(k)))?.phone;
}

/** "- 松村镇司法所：指导调解，……" lines of a guide's 找谁帮忙 section -> [name, what] pairs. */
export function parseHelpList(text: string): { name: string; what: string }[] {
  return text
    .split('\n')
    .map((l) => /^[-*]\s*([^:：]+)[:：]\s*(.*)$/u.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1]!.trim(), what: m[2]!.trim() }));
}

/** Where to go when no guide matched: the usual first stops for a legal question. */
export const DEFAULT_HELP = [
  { name: '村人民调解委员会', what: '邻里、家庭纠纷先就近调解，免费' },
  { name: '松村镇司法所', what: '法律咨询，指导调解' },
  { name: '法律援助（12348 公共法律服务热线）', what: '电话咨询，经济困难可申请免费律师' },
];
