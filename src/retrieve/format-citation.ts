import type { ChunkMeta } from '../ingest/types.ts';

/** 《民法典》第一千零六十四条 · 《关于2023年法治政府建设情况的报告》（2023年）二、存在的不足和原因 */
export function formatCitation(meta: ChunkMeta): string {
  if (meta.kind === 'law') return `《${meta.title}》${meta.article ?? ''}`;
  const year = meta.year !== undefined ? `（${meta.year}年）` : '';
  const section = meta.section ? ` ${meta.section}` : '';
  return `《${meta.title}》${year}${section}`;
}
