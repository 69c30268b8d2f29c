// The Axis-style HTTP API of a simulated camera, over real HTTP with Digest authentication: device
// info, parameters (overlay), I/O ports with events, JPEG snapshots, the event endpoints, and the
// refusal of missing or wrong credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startSimulator,
  type RunningSimulator,
  type SimulatedCameraInfo,
  type EventJson,
} from '@argus/simulator';
import { digestFetch } from './helpers/digest-fetch.js';

let sim: RunningSimulator;
let cam: SimulatedCameraInfo;
const get = (path: string, init?: Parameters<typeof digestFetch>[3]) =>
  digestFetch(`${cam.httpUrl}${path}`, cam.user, cam.password, init);

beforeAll(async () => {
  sim = await startSimulator({ cameras: 1, motionSchedule: null, password: 'secret-pass' });
  cam = sim.cameras[0]!;
});

afterAll(async () => {
  await sim.close();
});

describe('Digest authentication', () => {
  it('answers 401 with an MD5 Digest challenge without credentials', async () => {
    const res = await fetch(`${cam.httpUrl}/axis-cgi/param.cgi?action=list`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Digest realm="AXIS_[0-9A-F]{12}", nonce="[^"]+", algorithm=MD5, qop="auth"/,
    );
  });

  it('refuses a wrong password and a wrong user', async () => {
    expect(
      (await digestFetch(`${cam.httpUrl}/axis-cgi/param.cgi?action=list`, cam.user, 'wrong')).status,
    ).toBe(401);
    expect(
      (await digestFetch(`${cam.httpUrl}/axis-cgi/param.cgi?action=list`, 'admin', cam.password)).status,
    ).toBe(401);
  });

  it('refuses Basic authentication', async () => {
    const basic = Buffer.from(`${cam.user}:${cam.password}`).toString('base64');
    const res = await fetch(`${cam.httpUrl}/axis-cgi/param.cgi?action=list`, {
      headers: { Authorization: `Basic ${basic}` },
    });
    expect(res.status).toBe(401);
  });
});

describe('VAPIX endpoints', () => {
  it('basicdeviceinfo.cgi returns the identity', async () => {
    const res = await get('/axis-cgi/basicdeviceinfo.cgi', {
      method: 'POST',
      body: JSON.stringify({
        apiVersion: '1.0',
        context: 'x',
        method: 'getProperties',
        params: { propertyList: ['SerialNumber', 'ProdNbr'] },
      }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toEqual({
      apiVersion: '1.0',
      context: 'x',
      method: 'getProperties',
      data: { propertyList: { SerialNumber: cam.serial, ProdNbr: cam.model } },
    });
    const all = JSON.parse((await get('/axis-cgi/basicdeviceinfo.cgi')).body.toString());
    expect(all.data.propertyList.Brand).toBe('Argus');
  });

  it('param.cgi lists, updates the overlay text and refuses read-only parameters', async () => {
    const list = (await get('/axis-cgi/param.cgi?action=list&group=root.Properties.System')).body.toString();
    expect(list).toContain(`root.Properties.System.SerialNumber=${cam.serial}`);
    const upd = await get(
      '/axis-cgi/param.cgi?action=update&root.Image.I0.Text.String=Gate%20A&root.Image.I0.Text.TextEnabled=yes',
    );
    expect(upd.body.toString()).toBe('OK\n');
    const text = (await get('/axis-cgi/param.cgi?action=list&group=Image.I0.Text.String')).body.toString();
    expect(text).toBe('root.Image.I0.Text.String=Gate A\n');
    expect(sim.control.camera(cam.name).state().overlay).toEqual({ enabled: true, text: 'Gate A' });
    const bad = (await get('/axis-cgi/param.cgi?action=update&root.Brand.Brand=Other')).body.toString();
    expect(bad).toMatch(/^# Error: Error setting 'root.Brand.Brand'/);
  });

  it('io/port.cgi reads inputs, drives outputs (also as a pulse) and raises events', async () => {
    const control = sim.control.camera(cam.name);
    control.setInput(2, true);
    expect((await get('/axis-cgi/io/port.cgi?checkactive=1,2')).body.toString()).toBe(
      'port1=inactive\nport2=active\n',
    );
    const before = control.state().lastEventSeq;
    expect((await get('/axis-cgi/io/port.cgi?action=3:/')).body.toString()).toBe('OK\n');
    expect((await get('/axis-cgi/io/port.cgi?check=3,4')).body.toString()).toBe('port3=1\nport4=0\n');
    expect((await get('/axis-cgi/io/port.cgi?action=4:/200%5C')).status).toBe(200);
    expect(control.state().outputs).toEqual([true, true]);
    await new Promise((r) => setTimeout(r, 400));
    expect(control.state().outputs).toEqual([true, false]);
    const relayEvents = control
      .events(before)
      .filter((e) => e.topic === 'tns1:Device/Trigger/Relay')
      .map((e) => `${e.source.value}=${e.data.value}`);
    expect(relayEvents).toEqual(['RelayOutput_1=active', 'RelayOutput_2=active', 'RelayOutput_2=inactive']);
    expect((await get('/axis-cgi/io/port.cgi?action=1:/')).status).toBe(400);
  });

  it('jpg/image.cgi returns a JPEG of the requested size', async () => {
    for (const [res, w, h] of [
      ['1920x1080', 1920, 1080],
      ['640x360', 640, 360],
    ] as const) {
      const r = await get(`/axis-cgi/jpg/image.cgi?resolution=${res}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('image/jpeg');
      expect(jpegSize(r.body)).toEqual([w, h]);
    }
    expect((await get('/axis-cgi/jpg/image.cgi?resolution=800x600')).status).toBe(400);
  });
});

describe('event endpoints', () => {
  it('poll.cgi gives the state, then long-polls until motion changes at a whole second', async () => {
    const first = JSON.parse((await get('/axis-cgi/events/poll.cgi')).body.toString()) as {
      lastSeq: number;
      events: EventJson[];
    };
    const motion = first.events.find((e) => e.kind === 'motion')!;
    expect(motion).toMatchObject({
      property: 'Initialized',
      active: false,
      topic: 'tns1:VideoSource/MotionAlarm',
    });
    const pending = get(`/axis-cgi/events/poll.cgi?after=${first.lastSeq}&timeout=10`);
    const effective = sim.control.camera(cam.name).setMotion(true);
    const started = Date.now();
    const next = JSON.parse((await pending).body.toString()) as { events: EventJson[] };
    expect(Date.now() - started).toBeLessThan(2500);
    expect(effective % 1000).toBe(0);
    expect(next.events).toEqual([
      expect.objectContaining({ kind: 'motion', active: true, utcMs: effective, property: 'Changed' }),
    ]);
  });

  it('stream.cgi is a text/event-stream of the same events', async () => {
    const control = sim.control.camera(cam.name);
    const seq = control.state().lastEventSeq;
    const authed = await openEventStream(`${cam.httpUrl}/axis-cgi/events/stream.cgi?after=${seq}`);
    control.setInput(1, true);
    const text = await authed.readUntil(/"kind":"input"/, 3000);
    authed.close();
    expect(text).toMatch(/event: input\ndata: \{.*"id":"DigitalInput_1","active":true/);
  }, 15_000);
});

/** Width and height from a JPEG's first SOF marker. */
function jpegSize(jpeg: Buffer): [number, number] | undefined {
  let p = 2;
  while (p + 9 < jpeg.length) {
    if (jpeg[p] !== 0xff) return undefined;
    const marker = jpeg[p + 1]!;
    const len = jpeg.readUInt16BE(p + 2);
    if (marker >= 0xc0 && marker <= 0xc3) return [jpeg.readUInt16BE(p + 7), jpeg.readUInt16BE(p + 5)];
    p += 2 + len;
  }
  return undefined;
}

async function openEventStream(url: string) {
  const { computeDigestResponse } = await import('@argus/media');
  const probe = await fetch(url);
  await probe.arrayBuffer();
  const challenge = probe.headers.get('www-authenticate') ?? '';
  const realm = /realm="([^"]+)"/.exec(challenge)![1]!;
  const nonce = /nonce="([^"]+)"/.exec(challenge)![1]!;
  const u = new URL(url);
  const uri = u.pathname + u.search;
  const response = computeDigestResponse({
    algorithm: 'MD5',
    user: cam.user,
    password: cam.password,
    realm,
    nonce,
    method: 'GET',
    uri,
    qop: 'auth',
    nc: '00000001',
    cnonce: 'abc',
  });
  const abort = new AbortController();
  const res = await fetch(url, {
    signal: abort.signal,
    headers: {
      Authorization: `Digest username="${cam.user}", realm="${realm}", nonce="${nonce}", uri="${uri}", qop=auth, nc=00000001, cnonce="abc", response="${response}"`,
    },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  const reader = res.body!.getReader();
  let text = '';
  return {
    async readUntil(re: RegExp, timeoutMs: number): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      while (!re.test(text) && Date.now() < deadline) {
        const chunk = await Promise.race([
          reader.read(),
          new Promise<undefined>((r) => setTimeout(r, deadline - Date.now())),
        ]);
        if (chunk === undefined || chunk.done) break;
        text += Buffer.from(chunk.value).toString();
      }
      return text;
    },
    close: () => abort.abort(),
  };
}
