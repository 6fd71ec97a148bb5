import { listKnowledgeFiles } from '../ingest/knowledge-files.ts';
import { readKnowledgeDocument } from '../ingest/split-document.ts';
import { parseReport, type ReportOutline } from './parse-report.ts';

export interface LoadedReports {
  /** Oldest first. */
  reports: ReportOutline[];
  /** Files under reports/ that could not be used, with the reason. */
  skipped: { source: string; reason: string }[];
}

/**
 * Reads and parses every report under `knowledgeDir/reports/`. A file that cannot be read, has
 * no 一、… parts, or whose year is unknown (neither front matter, title nor file name says) is
 * listed in `skipped` and the rest are used.
 */
export async function loadReports(knowledgeDir: string): Promise<LoadedReports> {
  const reports: ReportOutline[] = [];
  const skipped: LoadedReports['skipped'] = [];
  for (const file of listKnowledgeFiles(knowledgeDir).filter((f) => f.kind === 'report')) {
    try {
      const { doc, firstLine } = await readKnowledgeDocument(file);
      const outline = parseReport(doc, firstLine);
      if (!outline.parts.length)
        skipped.push({ source: file.source, reason: 'no numbered parts (一、…) found' });
      else if (outline.year === undefined)
        skipped.push({
          source: file.source,
          reason: 'year unknown: add "year: 2024" front matter or 2024年 to the title',
        });
      else reports.push(outline);
    } catch (error) {
      skipped.push({ source: file.source, reason: (error as Error).message });
    }
  }
  reports.sort((a, b) => (a.year ?? 0) - (b.year ?? 0) || a.source.localeCompare(b.source));
  return { reports, skipped };
}
