// Child process of the crash test: opens the catalog like a starting server (start-up recovery
// first), then records the fixture clip in real time to several streams until it is killed. After
// every push it writes "P <stream> <pts90k>" to stdout (synchronously), so the parent knows exactly
// what had been handed to the writer when the kill came.
import { writeSync } from 'node:fs';
import { systemClock } from '../../src/base/index.js';
import { openSqliteCatalog } from '../../src/db/index.js';
import {
  RecordingEventBus,
  RecordingWriter,
  StorageRegistry,
  recoverRecordings,
} from '../../src/ingest/index.js';
import { clipFrame, loadClip } from './recording-fixture.js';

const [catalogFile, streamsArg, segmentMsArg, fixturesDir] = process.argv.slice(2);
const catalog = openSqliteCatalog(catalogFile!);
const report = await recoverRecordings({ catalog, clock: systemClock, mode: 'startup', repair: true });
writeSync(1, `RECOVERY ${JSON.stringify(report.findings.map((f) => f.kind))}\n`);
const events = new RecordingEventBus();
const registry = new StorageRegistry(catalog, events);
await registry.openAll();
const clip = loadClip('sub-h264-still.mp4', fixturesDir);
const cameras = (await catalog.cameras.list()).slice(0, Number(streamsArg));
const writers: RecordingWriter[] = [];
for (const camera of cameras) {
  const stream = await catalog.streams.ensure(camera.id, 'main');
  const writer = new RecordingWriter(
    { catalog, registry, events, clock: systemClock },
    {
      cameraId: camera.id,
      streamId: stream.id,
      streamKind: 'main',
      locationId: camera.storageLocationId,
      segmentDurationMs: Number(segmentMsArg),
    },
  );
  writer.setTracks([clip.track]);
  writers.push(writer);
}
// Media time unique to this process, so the parent can tell runs apart.
const origin90k = Date.now() * 90;
writeSync(1, `READY ${origin90k}\n`);
let i = 0;
const started = performance.now();
const tick = (): void => {
  // Catch up in real time: frame i is due at i * 40 ms.
  while ((i * clip.frameDuration90k) / 90 <= performance.now() - started) {
    const au = clipFrame(clip, i, origin90k);
    writers.forEach((w, k) => {
      w.push(1, au);
      writeSync(1, `P ${k} ${au.pts90k}\n`);
    });
    i++;
  }
  setTimeout(tick, 5);
};
tick();
