import type { Reply } from '../answer/reply.ts';
import type { Audience } from '../ingest/types.ts';
import { loadReports, type LoadedReports } from './load-reports.ts';
import { lookupMeasures } from './lookup-measures.ts';
import type { ReportOutline } from './parse-report.ts';

/** The "查 …" command: the reports read once, re-read after a re-index or an upload. */
export interface ReportLookup {
  lookup(query: string, context: { audiences: Audience[] }): Promise<Reply>;
  /** Re-reads `knowledgeDir/reports/`; returns the files that could not be used. */
  reload(): Promise<LoadedReports['skipped']>;
}

export function createReportLookup(
  knowledgeDir: string,
  options: { now?: () => Date; warn?: (line: string) => void } = {},
): ReportLookup {
  const now = options.now ?? (() => new Date());
  let reports: Promise<ReportOutline[]> | undefined;
  const read = async () => {
    const loaded = await loadReports(knowledgeDir);
    for (const s of loaded.skipped) options.warn?.(`report skipped: ${s.source}: ${s.reason}`);
    return loaded;
  };
  return {
    async lookup(query, context) {
      // A failed read is not kept: the next 查 tries again.
      reports ??= read().then(
        (loaded) => loaded.reports,
        (error: unknown) => {
          reports = undefined;
          throw error;
        },
      );
      // An internal report never reaches a group chat or a resident.
      const visible = (await reports).filter((r) => context.audiences.includes(r.audience));
      return lookupMeasures(query, visible, { today: now() });
    },
    async reload() {
      const loaded = await read();
      reports = Promise.resolve(loaded.reports);
      return loaded.skipped;
    },
  };
}
