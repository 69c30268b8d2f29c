// The motion event sources against a simulated camera (Axis-style long-poll with HTTP Digest, ONVIF
// PullPoint with WS-UsernameToken): motion on demand arrives with the camera's time, the initial
// state is reported, a camera reboot is survived; and the PullPoint parser reads other vendors' XML.
import { startSimulator, type RunningSimulator } from '@argus/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxisEventSource, OnvifPullPointSource, motionEvents } from '../src/devices/index.js';
import { systemTimers, type MotionEvent, type MotionEventSource } from '../src/ingest/index.js';

let sim: RunningSimulator | undefined;
beforeAll(async () => {
  sim = await startSimulator({ cameras: 1, motionSchedule: null });
});
afterAll(async () => {
  await sim?.close();
});

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function collect(source: MotionEventSource) {
  const events: MotionEvent[] = [];
  const connections: boolean[] = [];
  source.start({ onMotion: (e) => events.push(e), onConnection: (c) => connections.push(c) });
  return { events, connections };
}

describe('motion event sources against the simulator', () => {
  const deps = { timers: systemTimers, nowMs: () => Date.now() };

  for (const kind of ['axis', 'onvif'] as const) {
    it(
      `${kind}: reports motion on and off at the camera's times, and survives a reboot`,
      { timeout: 40_000 },
      async () => {
        const cam = sim!.cameras[0]!;
        const control = sim!.control.camera(cam.name);
        const credentials = { user: cam.user, password: cam.password };
        const source =
          kind === 'axis'
            ? new AxisEventSource({ baseUrl: cam.httpUrl, credentials, ...deps, pollTimeoutS: 5 })
            : new OnvifPullPointSource({
                deviceUrl: cam.onvifDeviceUrl,
                credentials,
                ...deps,
                pullTimeoutS: 5,
              });
        // motion off (from the next GOP) before the source starts
        const quietAt = control.setMotion(false);
        await until('no motion', () => Date.now() > quietAt + 50);
        const { events, connections } = collect(source);
        try {
          await until('connected', () => connections.includes(true));
          // the initial state (no motion) may be reported; it is never "active"
          expect(events.filter((e) => e.active)).toEqual([]);
          const onAt = control.setMotion(true);
          await until('motion on', () => events.some((e) => e.active));
          const offAt = control.setMotion(false);
          await until('motion off', () => events.filter((e) => !e.active).some((e) => e.atMs === offAt));
          expect(events.find((e) => e.active)?.atMs).toBe(onAt);
          const fault = control.fault({ type: 'reboot', durationMs: 1500 });
          await until('lost', () => connections.includes(false), 8000);
          await until('back', () => connections.lastIndexOf(true) > connections.lastIndexOf(false), 20_000);
          expect(Date.now()).toBeGreaterThanOrEqual(fault.untilMs!);
          const again = control.setMotion(true);
          await until('motion after reboot', () => events.some((e) => e.active && e.atMs === again));
          control.setMotion(false);
        } finally {
          await source.stop();
        }
      },
    );
  }

  it(
    'axis: wrong credentials never connect, and the failure is reported once',
    { timeout: 10_000 },
    async () => {
      const cam = sim!.cameras[0]!;
      const source = new AxisEventSource({
        baseUrl: cam.httpUrl,
        credentials: { user: cam.user, password: 'wrong' },
        ...deps,
      });
      const { events, connections } = collect(source);
      await new Promise((r) => setTimeout(r, 1500));
      await source.stop();
      expect(connections).toEqual([false]);
      expect(events).toEqual([]);
    },
  );
});

describe('ONVIF PullMessages parsing', () => {
  it('reads motion from other vendors’ topics and prefixes, ignoring the rest', () => {
    const xml = `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>
      <tev:PullMessagesResponse>
        <wsnt:NotificationMessage><wsnt:Topic Dialect="x">tns1:RuleEngine/CellMotionDetector/Motion</wsnt:Topic>
          <wsnt:Message><tt:Message UtcTime="2026-01-05T10:00:01.500Z" PropertyOperation="Changed">
            <tt:Source><tt:SimpleItem Name="VideoSourceConfigurationToken" Value="V1"/></tt:Source>
            <tt:Data><tt:SimpleItem Name="IsMotion" Value="true"/></tt:Data></tt:Message></wsnt:Message>
        </wsnt:NotificationMessage>
        <wsnt:NotificationMessage><wsnt:Topic>tns1:Device/Trigger/DigitalInput</wsnt:Topic>
          <wsnt:Message><tt:Message UtcTime="2026-01-05T10:00:02Z"><tt:Data><tt:SimpleItem Name="LogicalState" Value="true"/></tt:Data></tt:Message></wsnt:Message>
        </wsnt:NotificationMessage>
        <n:NotificationMessage><n:Topic>tns1:VideoSource/MotionAlarm</n:Topic>
          <n:Message><x:Message PropertyOperation="Changed" UtcTime='2026-01-05T10:00:04Z'>
            <x:Data><x:SimpleItem Value="false" Name="State"/></x:Data></x:Message></n:Message>
        </n:NotificationMessage>
      </tev:PullMessagesResponse></env:Body></env:Envelope>`;
    expect(motionEvents(xml, 0, 0)).toEqual([
      { active: true, atMs: Date.UTC(2026, 0, 5, 10, 0, 1, 500) },
      { active: false, atMs: Date.UTC(2026, 0, 5, 10, 0, 4) },
    ]);
    // a camera clock 60 s ahead is moved onto the server clock
    expect(motionEvents(xml, 60_000, 0)[0]!.atMs).toBe(Date.UTC(2026, 0, 5, 9, 59, 1, 500));
    expect(motionEvents('<not-xml', 0, 0)).toEqual([]);
  });
});
