import type { BuildReport } from '../index/build-knowledge-index.ts';

/** Prints what an index build did, skipped files with their reasons included. */
export function printBuildReport(
  report: BuildReport,
  log: (line: string) => void = console.log,
): void {
  if (report.fullRebuildReason) log(`Full rebuild: ${report.fullRebuildReason}.`);
  log(
    `Indexed ${report.chunkCount} passages: ${report.embedded.length} file(s) embedded, ` +
      `${report.reused.length} unchanged, ${report.removed.length} removed.`,
  );
  for (const s of report.skipped) {
    const kept = s.keptPrevious ? ' (kept its previously indexed version)' : '';
    log(`Skipped ${s.source}: ${s.reason}${kept}`);
  }
}
