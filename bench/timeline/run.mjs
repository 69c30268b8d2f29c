// Timeline benchmark (issue 5): a synthetic index of 64 cameras x 1 year of 5-minute segments
// (~6.7 M rows), then p50/p95 of the timeline query for one camera over 24 h and over 30 days,
// and server start-up (open catalog + start-up recovery scan). Targets: < 20 ms, < 2 s.
// Needs the built dist (npm run build). Usage: node bench/timeline/run.mjs [--cameras 64]
// [--days 365] [--queries 200] [--fresh]. The index is kept in bench/out/timeline/ for reruns.
import { existsSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateIndex, writeStorageTree } from './generate.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = (p) => import(path.join(root, 'packages/server/dist', p));
const { openSqlite, openSqliteCatalog } = await dist('db/index.js');
const { recoverRecordings } = await dist('ingest/index.js');
const { systemClock } = await dist('base/index.js');

const { values } = parseArgs({
  options: {
    cameras: { type: 'string', default: '64' },
    days: { type: 'string', default: '365' },
    queries: { type: 'string', default: '200' },
    fresh: { type: 'boolean', default: false },
  },
});
const cameras = Number(values.cameras);
const days = Number(values.days);
const queries = Number(values.queries);
const out = path.join(root, 'bench/out/timeline', `${cameras}x${days}`);
const catalogFile = path.join(out, 'catalog.sqlite');
const locationPath = path.join(out, 'recordings');
const uuid = '00000000-0000-4000-8000-0000000000be';
const t0Ms = Date.UTC(2025, 0, 1);

if (values.fresh) rmSync(out, { recursive: true, force: true });
if (!existsSync(catalogFile)) {
  mkdirSync(out, { recursive: true });
  const started = performance.now();
  const db = openSqlite(catalogFile);
  generateIndex(db, { cameras, days, t0Ms, locationPath, uuid });
  const files = writeStorageTree(db, locationPath, uuid, cameras);
  db.close();
  console.log(
    `generated ${cameras} cameras x ${days} days (${files} files on disk) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

// Start-up: open the catalog (integrity check, migrations) and run start-up recovery.
const startupStart = performance.now();
const catalog = openSqliteCatalog(catalogFile);
const openMs = performance.now() - startupStart;
const report = await recoverRecordings({ catalog, clock: systemClock, mode: 'startup', repair: true });
const startupMs = performance.now() - startupStart;

const rows = (await catalog.recordings.cameraUsage(1)).segmentCount * cameras;
const end90k = (t0Ms + days * 86_400_000) * 90;
let seed = 42;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;

async function bench(label, rangeMs, pixels) {
  const times = [];
  let items = 0;
  for (let q = 0; q < queries; q++) {
    const streamId = 1 + Math.floor(random() * cameras);
    const from90k = t0Ms * 90 + Math.floor(random() * (end90k - t0Ms * 90 - rangeMs * 90));
    const t = performance.now();
    const r = await catalog.timeline.query({
      streamId,
      from90k,
      to90k: from90k + rangeMs * 90,
      resolution90k: Math.floor((rangeMs * 90) / pixels),
      maxItems: 1000,
    });
    times.push(performance.now() - t);
    items += r.recorded.length + r.gaps.length + r.motion.length;
  }
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
  return {
    label,
    p50Ms: +pct(50).toFixed(2),
    p95Ms: +pct(95).toFixed(2),
    maxMs: +times.at(-1).toFixed(2),
    avgItems: Math.round(items / queries),
  };
}

const results = [
  await bench('24 h at 1000 px', 86_400_000, 1000),
  await bench('24 h at 1 s (no merging)', 86_400_000, 86_400),
  await bench('30 days at 1000 px', 30 * 86_400_000, 1000),
  await bench('30 days at 5 s (cap 1000)', 30 * 86_400_000, 30 * 17_280),
];
catalog.close();

const summary = {
  cameras,
  days,
  segmentRows: rows,
  startup: {
    openCatalogMs: +openMs.toFixed(0),
    totalMs: +startupMs.toFixed(0),
    filesScanned: report.filesScanned,
    findings: report.findings.length,
  },
  timeline: results,
};
writeFileSync(path.join(out, 'results.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(`index: ${rows} segment rows (${cameras} cameras x ${days} days)`);
console.log(
  `start-up: open catalog ${summary.startup.openCatalogMs} ms, with recovery scan ${summary.startup.totalMs} ms (target < 2000)`,
);
for (const r of results)
  console.log(
    `timeline ${r.label.padEnd(28)} p50 ${r.p50Ms} ms  p95 ${r.p95Ms} ms  max ${r.maxMs} ms  ~${r.avgItems} items (target p95 < 20 ms)`,
  );
