// kill -9 during recording, 20 times: a real child process records 8 streams in real time and is
// killed at seeded random moments (mid-write, mid-rotation, mid-recovery). After each restart's
// recovery the index and the files agree, no file is torn or unplayable, and each stream loses at
// most one fragment (1 s) plus one frame for the write in flight.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/base/index.js';
import { openSqliteCatalog, type Catalog } from '../src/db/index.js';
import { createStorageLocation, recoverRecordings } from '../src/ingest/index.js';
import { scanSegmentFile } from '../src/storage/index.js';
import { FIXTURES, playbackErrors } from './helpers/recording-fixture.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BUNDLE = path.join(ROOT, 'test-output', 'recovery-crash', 'child.mjs');
// The run (8 cameras, 20 kills); ARGUS_CRASH_STREAMS / ARGUS_CRASH_KILLS change it.
const STREAMS = Number(process.env['ARGUS_CRASH_STREAMS'] ?? 8);
const KILLS = Number(process.env['ARGUS_CRASH_KILLS'] ?? 20);
const FRAME_90K = 3600;
const dir = mkdtempSync(path.join(tmpdir(), 'argus-crash-'));
const catalogFile = path.join(dir, 'catalog.sqlite');
const recordings = path.join(dir, 'recordings');

/** Deterministic delays (mulberry32, seed 42). */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ChildRun {
  origin90k: number | undefined;
  lastPts: Map<number, number>;
}

/** Runs the child until `killAfterMs` after it is ready (or after start when `early`), then SIGKILL. */
async function runAndKill(killAfterMs: number, early: boolean): Promise<ChildRun> {
  const child = spawn(process.execPath, [BUNDLE, catalogFile, String(STREAMS), '4000', FIXTURES], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: ChildRun = { origin90k: undefined, lastPts: new Map() };
  let buffered = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const ready = new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [tag, a, b] = line.split(' ');
        if (tag === 'READY') {
          run.origin90k = Number(a);
          resolve();
        } else if (tag === 'P') run.lastPts.set(Number(a), Number(b));
      }
    });
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  if (!early) await Promise.race([ready, exited]);
  await new Promise((r) => setTimeout(r, killAfterMs));
  child.kill('SIGKILL');
  await exited;
  clearTimeout(timer);
  if (stderr.trim() !== '') throw new Error(`child wrote to stderr: ${stderr}`);
  return run;
}

const streamIds: number[] = [];

beforeAll(async () => {
  await build({
    input: path.join(ROOT, 'packages/server/test/helpers/crash-writer-child.ts'),
    platform: 'node',
    external: (id) => /^[^./]/.test(id) && !id.startsWith('@argus/'),
    resolve: {
      alias: {
        '@argus/media': path.join(ROOT, 'packages/media/src/index.ts'),
        '@argus/api': path.join(ROOT, 'packages/api/src/index.ts'),
      },
    },
    output: { file: BUNDLE, format: 'esm' },
    logLevel: 'warn',
  });
  mkdirSync(recordings, { recursive: true });
  const catalog = openSqliteCatalog(catalogFile);
  const location = await createStorageLocation(catalog, {
    name: 'crash',
    path: recordings,
    freeSpaceFloorBytes: 0,
    nowMs: Date.now(),
  });
  for (let k = 0; k < STREAMS; k++) {
    const cam = await catalog.cameras.create({
      name: `cam${k}`,
      storageLocationId: location.id,
      retentionMs: 86_400_000,
      nowMs: Date.now(),
    });
    streamIds.push((await catalog.streams.ensure(cam.id, 'main')).id);
  }
  catalog.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Index and files agree: every row's file is whole and as long as the row says; no stray files. */
async function checkAgreement(catalog: Catalog): Promise<string[]> {
  const rows = [];
  for (const id of streamIds)
    rows.push(...(await catalog.recordings.segmentsInRange(id, 0, Number.MAX_SAFE_INTEGER)));
  const problems: string[] = [];
  for (const row of rows) {
    if (row.open) problems.push(`${row.path} still open`);
    const scan = await scanSegmentFile(path.join(recordings, row.path));
    if (scan.tornTail) problems.push(`${row.path} torn`);
    if (scan.fileSizeBytes !== row.sizeBytes)
      problems.push(`${row.path} ${scan.fileSizeBytes} != ${row.sizeBytes}`);
    if (scan.fragments.length !== row.fragmentCount) problems.push(`${row.path} fragment count`);
  }
  return problems;
}

describe('kill -9 while recording', () => {
  it(`keeps index and files consistent over ${KILLS} crashes, losing at most 1 s per stream`, async () => {
    const random = seeded(42);
    const losses: number[] = [];
    const seen = new Map<string, number>();
    for (let k = 0; k < KILLS; k++) {
      const early = k === 3; // one kill lands during start-up recovery
      const run = await runAndKill(early ? 150 + random() * 200 : 500 + random() * 1700, early);
      const catalog = openSqliteCatalog(catalogFile);
      const report = await recoverRecordings({ catalog, clock: systemClock, mode: 'startup', repair: true });
      const kinds = report.findings.map((f) => f.kind);
      for (const kind of kinds) seen.set(kind, (seen.get(kind) ?? 0) + 1);
      // Every killed run was left open and is closed now (the early kill may precede any run).
      if (run.lastPts.size > 0) expect(kinds.filter((x) => x === 'open-run').length).toBe(STREAMS);
      expect(
        kinds.filter((x) => ['unreadable-file', 'row-without-file', 'file-shorter-than-row'].includes(x)),
      ).toEqual([]);
      expect(await checkAgreement(catalog)).toEqual([]);
      if (run.origin90k !== undefined) {
        for (let s = 0; s < STREAMS; s++) {
          const last = run.lastPts.get(s);
          if (last === undefined) continue;
          const segs = await catalog.recordings.segmentsInRange(streamIds[s]!, 0, Number.MAX_SAFE_INTEGER);
          const mine = segs.filter((x) => x.mediaStart90k >= run.origin90k!);
          const indexedEnd = Math.max(
            run.origin90k,
            ...mine.map((x) => x.mediaStart90k + x.mediaDuration90k),
          );
          losses.push(last + FRAME_90K - indexedEnd);
        }
      }
      catalog.close();
    }
    expect(losses.length).toBeGreaterThanOrEqual((KILLS - 1) * STREAMS);
    console.log(
      `crash losses (ms): max ${Math.max(...losses) / 90}, all ${losses.map((l) => Math.round(l / 90)).join(' ')}`,
    );
    console.log(`recovery findings: ${JSON.stringify(Object.fromEntries(seen))}`);
    for (const loss of losses) expect(loss).toBeLessThanOrEqual(90_000 + FRAME_90K);
    // Finally every file plays without errors.
    const catalog = openSqliteCatalog(catalogFile);
    for (const id of streamIds)
      for (const row of await catalog.recordings.segmentsInRange(id, 0, Number.MAX_SAFE_INTEGER))
        expect(playbackErrors(path.join(recordings, row.path)), row.path).toBe('');
    catalog.close();
  }, 300_000);
});
