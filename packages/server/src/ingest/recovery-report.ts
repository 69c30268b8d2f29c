// What recovery and `argus check` found and did, as data (for the API and tests) and as text (for
// the CLI). One finding per problem; `action` says what was done about it ('none' without repair).

export type RecoveryFindingKind =
  | 'catalog-damaged'
  | 'location-unavailable'
  | 'garbage-removed'
  | 'torn-tail'
  | 'fragments-indexed'
  | 'empty-segment'
  | 'file-without-row'
  | 'row-without-file'
  | 'file-shorter-than-row'
  | 'unreadable-file'
  | 'open-run';

export type RecoveryAction =
  'none' | 'truncated' | 'indexed' | 'quarantined' | 'row-removed' | 'file-removed' | 'run-closed';

export interface RecoveryFinding {
  kind: RecoveryFindingKind;
  action: RecoveryAction;
  locationId?: number;
  path?: string;
  segmentId?: number;
  message: string;
}

export interface RecoveryReport {
  mode: 'startup' | 'check';
  repair: boolean;
  durationMs: number;
  locationsChecked: number;
  segmentsChecked: number;
  filesScanned: number;
  findings: RecoveryFinding[];
}

export function countFindings(report: RecoveryReport): Partial<Record<RecoveryFindingKind, number>> {
  const out: Partial<Record<RecoveryFindingKind, number>> = {};
  for (const f of report.findings) out[f.kind] = (out[f.kind] ?? 0) + 1;
  return out;
}

/** Human-readable report, one line per finding, for `argus check`. */
export function formatRecoveryReport(report: RecoveryReport): string {
  const lines = [
    `${report.mode === 'check' ? 'Recording check' : 'Recovery'}${report.repair ? ' (repair)' : ''}: ` +
      `${report.locationsChecked} storage location(s), ${report.segmentsChecked} segment row(s), ` +
      `${report.filesScanned} file(s) scanned in ${report.durationMs} ms`,
  ];
  if (report.findings.length === 0) lines.push('No problems found.');
  for (const f of report.findings) {
    const where =
      f.path !== undefined ? ` ${f.path}` : f.locationId !== undefined ? ` location ${f.locationId}` : '';
    const action = f.action === 'none' ? '' : ` [${f.action}]`;
    lines.push(`- ${f.kind}${where}: ${f.message}${action}`);
  }
  const problems = report.findings.filter((f) => f.action === 'none' && f.kind !== 'garbage-removed');
  if (!report.repair && problems.length > 0) lines.push('Run again with --repair to fix what can be fixed.');
  return lines.join('\n');
}
