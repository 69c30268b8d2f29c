// A real Argus server serving the built web client, simulated cameras added through the REST
// API, and a signed-in Chromium page: the setting every end-to-end web test starts from.
import { startSimulator, type RunningSimulator } from '@argus/simulator';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../../../server/test/helpers/test-server.js';
import { WEB_ROOT, launchBrowser, requireBuiltClient, signedInPage, type SignedIn } from './web-browser.js';

export interface ArgusSite extends SignedIn {
  sim: RunningSimulator;
  server: TestServer;
  browser: Browser;
  base: string;
  cameraIds: number[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startArgusSite(options: {
  cameras: number;
  recording: 'continuous' | 'motion' | 'both' | 'off';
  /** Read motion from each camera's Axis-style event endpoint. */
  motionEvents?: boolean;
  viewport?: { width: number; height: number };
}): Promise<ArgusSite> {
  requireBuiltClient();
  const sim = await startSimulator({ cameras: options.cameras, motionSchedule: null });
  const server = await startTestServer({ webRoot: WEB_ROOT });
  const browser = await launchBrowser();
  const base = `https://127.0.0.1:${server.port}`;
  const signed = await signedInPage(browser, base, options.viewport ? { viewport: options.viewport } : {});
  const csrf = (
    (await (await signed.context.request.get(`${base}/api/v1/auth/session`)).json()) as { csrfToken: string }
  ).csrfToken;
  const cameraIds: number[] = [];
  for (const [i, cam] of sim.cameras.entries()) {
    const res = await signed.context.request.post(`${base}/api/v1/cameras`, {
      headers: { 'x-csrf-token': csrf },
      data: {
        name: `Pier ${i + 1}`,
        mainUrl: cam.rtsp.main,
        subUrl: cam.rtsp.sub,
        credentials: { username: cam.user, password: cam.password },
        recording: { mode: options.recording, stream: 'sub' },
        ...(options.motionEvents ? { motionEvents: { kind: 'axis', url: cam.httpUrl } } : {}),
      },
    });
    if (res.status() !== 201) throw new Error(`cannot add camera: ${await res.text()}`);
    cameraIds.push(((await res.json()) as { id: number }).id);
  }
  // wait until every camera delivers both streams (the server then holds a GOP for new viewers)
  for (const id of cameraIds) {
    for (let i = 0; i < 150; i++) {
      const st = (await (await signed.context.request.get(`${base}/api/v1/cameras/${id}/status`)).json()) as {
        streams: { main: { fps: number } | null; sub: { fps: number } | null };
      };
      if ((st.streams.main?.fps ?? 0) > 0 && (st.streams.sub?.fps ?? 0) > 0) break;
      await sleep(100);
    }
  }
  return {
    ...signed,
    sim,
    server,
    browser,
    base,
    cameraIds,
    async close() {
      await browser.close();
      await server.stop();
      await sim.close();
    },
  };
}
