// ONVIF against a client we did not write (the `onvif` npm package): connect, device information,
// profiles, stream and snapshot URIs, PullPoint motion events, PTZ moves and presets, OSD. Raw SOAP
// covers DeviceIO and the WS-UsernameToken checks (wrong password, replayed nonce, stale Created).
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type SimulatedCameraInfo } from '@argus/simulator';
import { soap } from './helpers/onvif-soap.js';

type Callback<T> = (err: Error | null, value: T) => void;
interface OnvifCam {
  profiles: Array<{
    $: { token: string };
    name: string;
    videoEncoderConfiguration: { encoding: string; resolution: { width: number; height: number } };
  }>;
  getDeviceInformation(cb: Callback<{ manufacturer: string; model: string; serialNumber: string }>): void;
  getStreamUri(o: { protocol: string; profileToken: string }, cb: Callback<{ uri: string }>): void;
  getSnapshotUri(o: { profileToken: string }, cb: Callback<{ uri: string }>): void;
  getNodes(cb: Callback<Record<string, unknown>>): void;
  getConfigurations(cb: Callback<Record<string, { token: string; nodeToken: string }>>): void;
  absoluteMove(
    o: { x: number; y: number; zoom: number; speed?: { x: number; y: number; zoom: number } },
    cb: Callback<unknown>,
  ): void;
  continuousMove(o: { x: number; y: number; zoom: number; timeout?: number }, cb: Callback<unknown>): void;
  stop(o: object, cb: Callback<unknown>): void;
  getStatus(
    o: object,
    cb: Callback<{
      position: { x: number; y: number; zoom: number };
      moveStatus: { panTilt: string; zoom: string };
    }>,
  ): void;
  setPreset(o: { presetName: string }, cb: Callback<unknown>): void;
  getPresets(o: object, cb: Callback<Record<string, { $: { token: string } }>>): void;
  gotoPreset(o: { preset: string }, cb: Callback<unknown>): void;
  setOSD(o: { OSDToken: string; plaintext: string; position: string }, cb: Callback<unknown>): void;
  getOSDs(
    cb: Callback<{
      getOSDsResponse: { OSDs: Array<{ $: { token: string }; textString: { plainText: string } }> };
    }>,
  ): void;
  on(event: 'event', listener: (message: OnvifMessage) => void): void;
  removeAllListeners(event: string): void;
}
interface OnvifMessage {
  topic: { _: string };
  message: {
    message: {
      $: { PropertyOperation: string; UtcTime: Date };
      data: { simpleItem: { $: { Name: string; Value: unknown } } };
    };
  };
}
const { Cam } = createRequire(import.meta.url)('onvif') as {
  Cam: new (
    o: { hostname: string; port: number; username: string; password: string; timeout: number },
    cb: (err: Error | null) => void,
  ) => OnvifCam;
};

function call<T>(fn: (cb: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

function connect(info: SimulatedCameraInfo, password = info.password): Promise<OnvifCam> {
  return new Promise((resolve, reject) => {
    const cam: OnvifCam = new Cam(
      { hostname: info.host, port: info.httpPort, username: info.user, password, timeout: 10_000 },
      (err) => (err ? reject(err) : resolve(cam)),
    );
  });
}

let sim: RunningSimulator;
let ptzInfo: SimulatedCameraInfo;
let fixedInfo: SimulatedCameraInfo;

beforeAll(async () => {
  sim = await startSimulator({ cameras: 2, ptz: 1, motionSchedule: null });
  [ptzInfo, fixedInfo] = sim.cameras as [SimulatedCameraInfo, SimulatedCameraInfo];
});

afterAll(async () => {
  await sim.close();
});

describe('the onvif npm client', () => {
  it('connects, reads device information, profiles and URIs', async () => {
    const cam = await connect(fixedInfo);
    const info = await call(cam.getDeviceInformation.bind(cam));
    expect(info).toMatchObject({
      manufacturer: 'Argus',
      model: fixedInfo.model,
      serialNumber: fixedInfo.serial,
    });
    expect(
      cam.profiles.map((p) => [
        p.$.token,
        p.videoEncoderConfiguration.encoding,
        p.videoEncoderConfiguration.resolution,
      ]),
    ).toEqual([
      ['profile_1', 'H264', { width: 1920, height: 1080 }],
      ['profile_2', 'H264', { width: 640, height: 360 }],
    ]);
    const main = await call<{ uri: string }>((cb) =>
      cam.getStreamUri({ protocol: 'RTSP', profileToken: 'profile_1' }, cb),
    );
    const sub = await call<{ uri: string }>((cb) =>
      cam.getStreamUri({ protocol: 'RTSP', profileToken: 'profile_2' }, cb),
    );
    expect([main.uri, sub.uri]).toEqual([fixedInfo.rtsp.main, fixedInfo.rtsp.sub]);
    const snap = await call<{ uri: string }>((cb) => cam.getSnapshotUri({ profileToken: 'profile_2' }, cb));
    expect(snap.uri).toBe(`${fixedInfo.httpUrl}/axis-cgi/jpg/image.cgi?resolution=640x360`);
  });

  it('is refused with a wrong password', async () => {
    await expect(connect(fixedInfo, 'not-the-password')).rejects.toThrow(
      /Sender not Authorized|NotAuthorized/,
    );
  });

  it('pulls motion events that match the motion the control API sets', async () => {
    const cam = await connect(fixedInfo);
    const seen: Array<{ op: string; value: unknown; utc: number }> = [];
    const waitFor = async (n: number): Promise<void> => {
      for (let i = 0; i < 100 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 50));
    };
    cam.on('event', (m) => {
      if (m.topic._ !== 'tns1:VideoSource/MotionAlarm') return;
      const msg = m.message.message;
      seen.push({
        op: msg.$.PropertyOperation,
        value: msg.data.simpleItem.$.Value,
        utc: new Date(msg.$.UtcTime).getTime(),
      });
    });
    await waitFor(1);
    expect(seen[0]).toMatchObject({ op: 'Initialized', value: false });
    const control = sim.control.camera(fixedInfo.name);
    const onAt = control.setMotion(true);
    await waitFor(2);
    expect(seen[1]).toEqual({ op: 'Changed', value: true, utc: onAt });
    const offAt = control.setMotion(false);
    await waitFor(3);
    expect(seen[2]).toEqual({ op: 'Changed', value: false, utc: offAt });
    expect(control.motionWindows()).toEqual([{ startMs: onAt, endMs: offAt }]);
    cam.removeAllListeners('event');
  }, 20_000);

  it('moves a PTZ camera: absolute, continuous, stop and presets', async () => {
    const cam = await connect(ptzInfo);
    expect(Object.keys(await call(cam.getNodes.bind(cam)))).toEqual(['PtzNode_1']);
    expect(await call(cam.getConfigurations.bind(cam))).toMatchObject({
      PtzConfig_1: { token: 'PtzConfig_1', nodeToken: 'PtzNode_1' },
    });
    const status = () =>
      call<{
        position: { x: number; y: number; zoom: number };
        moveStatus: { panTilt: string; zoom: string };
      }>((cb) => cam.getStatus({}, cb));
    await call((cb) => cam.absoluteMove({ x: 0.2, y: -0.1, zoom: 0.3 }, cb));
    await new Promise((r) => setTimeout(r, 500));
    expect(await status()).toMatchObject({
      position: { x: 0.2, y: -0.1, zoom: 0.3 },
      moveStatus: { panTilt: 'IDLE', zoom: 'IDLE' },
    });
    await call((cb) => cam.setPreset({ presetName: 'door' }, cb));
    await call((cb) => cam.continuousMove({ x: 1, y: 0, zoom: 0, timeout: 5000 }, cb));
    await new Promise((r) => setTimeout(r, 200));
    const moving = await status();
    expect(moving.moveStatus.panTilt).toBe('MOVING');
    expect(moving.position.x).toBeGreaterThan(0.25);
    await call((cb) => cam.stop({}, cb));
    const stopped = await status();
    expect(stopped.moveStatus.panTilt).toBe('IDLE');
    const presets = await call<Record<string, { $: { token: string } }>>((cb) => cam.getPresets({}, cb));
    expect(Object.keys(presets)).toEqual(['door']);
    await call((cb) => cam.gotoPreset({ preset: presets['door']!.$.token }, cb));
    await new Promise((r) => setTimeout(r, 1200));
    expect((await status()).position).toEqual({ x: 0.2, y: -0.1, zoom: 0.3 });
  }, 20_000);

  it('sets and reads the text OSD, which is the Axis overlay parameter', async () => {
    const cam = await connect(fixedInfo);
    await call((cb) =>
      cam.setOSD({ OSDToken: 'OSD_Text_1', plaintext: 'Loading dock', position: 'UpperLeft' }, cb),
    );
    const osds = await call(cam.getOSDs.bind(cam));
    expect(osds.getOSDsResponse.OSDs[0]).toMatchObject({
      $: { token: 'OSD_Text_1' },
      textString: { plainText: 'Loading dock' },
    });
    expect(sim.control.camera(fixedInfo.name).state().overlay).toEqual({
      enabled: true,
      text: 'Loading dock',
    });
  });
});

describe('raw SOAP: DeviceIO and WS-UsernameToken', () => {
  const url = () => `${fixedInfo.httpUrl}/onvif/deviceio_service`;
  const creds = () => ({ user: fixedInfo.user, password: fixedInfo.password });
  const NS = 'xmlns="http://www.onvif.org/ver10/deviceIO/wsdl"';

  it('lists relays and inputs and sets a relay, raising a Relay event', async () => {
    const relays = await soap(url(), `<GetRelayOutputs ${NS}/>`, creds());
    expect(relays.xml.match(/RelayOutputs token="[^"]+"/g)).toEqual([
      'RelayOutputs token="RelayOutput_1"',
      'RelayOutputs token="RelayOutput_2"',
    ]);
    const inputs = await soap(url(), `<GetDigitalInputs ${NS}/>`, creds());
    expect(inputs.xml.match(/DigitalInputs token="[^"]+"/g)).toHaveLength(2);
    const control = sim.control.camera(fixedInfo.name);
    const seq = control.state().lastEventSeq;
    const set = await soap(
      url(),
      `<SetRelayOutputState ${NS}><RelayOutputToken>RelayOutput_2</RelayOutputToken><LogicalState>active</LogicalState></SetRelayOutputState>`,
      creds(),
    );
    expect(set.status).toBe(200);
    expect(control.state().outputs).toEqual([false, true]);
    expect(control.events(seq).map((e) => [e.topic, e.source.value, e.data.value])).toEqual([
      ['tns1:Device/Trigger/Relay', 'RelayOutput_2', 'active'],
    ]);
    const bad = await soap(
      url(),
      `<SetRelayOutputState ${NS}><RelayOutputToken>nope</RelayOutputToken><LogicalState>active</LogicalState></SetRelayOutputState>`,
      creds(),
    );
    expect(bad.status).toBe(400);
    expect(bad.xml).toContain('ter:InvalidArgVal');
  });

  it('refuses a replayed nonce, a stale Created, a wrong password, and no credentials', async () => {
    const body = `<GetDigitalInputs ${NS}/>`;
    const nonce = randomBytes(16);
    const created = new Date().toISOString();
    expect((await soap(url(), body, { ...creds(), nonce, created })).status).toBe(200);
    const replay = await soap(url(), body, { ...creds(), nonce, created });
    expect(replay.status).toBe(400);
    expect(replay.xml).toContain('ter:NotAuthorized');
    const stale = await soap(url(), body, {
      ...creds(),
      created: new Date(Date.now() - 3600_000).toISOString(),
    });
    expect(stale.status).toBe(400);
    expect((await soap(url(), body, { user: fixedInfo.user, password: 'wrong' })).status).toBe(400);
    const none = await soap(url(), body);
    expect(none.status).toBe(401);
    const preAuth = await soap(
      `${fixedInfo.httpUrl}/onvif/device_service`,
      '<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>',
    );
    expect(preAuth.status).toBe(200);
    expect(preAuth.xml).toContain('<tt:UTCDateTime>');
  });

  it('answers malformed XML and DOCTYPE with a SOAP fault', async () => {
    const res = await fetch(url(), { method: 'POST', body: '<!DOCTYPE x [<!ENTITY a "b">]><x/>' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('ter:WellFormed');
  });
});
