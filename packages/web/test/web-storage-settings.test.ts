// The Storage section of Settings in headless Chromium against the real server: an administrator
// sees each location's state and space, adds one (mistakes explained in plain words, by the page
// or by the server), changes the space to keep free and the size limit, moves a camera there from
// the camera list, sees why a location in use cannot be removed, raises the floor above the free
// space (after a warning) and sees the location full, and removes it once nothing depends on it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import {
  ARTEFACTS,
  WEB_ROOT,
  launchBrowser,
  patientBrowserTimeouts,
  requireBuiltClient,
  signedInPage,
  type SignedIn,
} from './helpers/web-browser.js';

patientBrowserTimeouts();
const GiB = 1024 ** 3;
const disk2 = mkdtempSync(path.join(tmpdir(), 'argus-web-disk2-'));
let t: TestServer;
let browser: Browser;
let s: SignedIn;
let page: Page;
const base = (): string => `https://127.0.0.1:${t.port}`;

interface ApiLocation {
  id: number;
  name: string;
  freeSpaceFloorBytes: number;
  sizeLimitBytes: number | null;
  state: string;
  freeBytes: number | null;
  totalBytes: number | null;
  cameraCount: number;
}
const locations = async (): Promise<ApiLocation[]> =>
  (
    (await (await s.context.request.get(`${base()}/api/v1/storage/locations`)).json()) as {
      locations: ApiLocation[];
    }
  ).locations;
const status = () => page.textContent('#storage-settings [role=status]');
const row = (name: string) => page.locator('#storage-settings tbody tr', { hasText: name });

beforeAll(async () => {
  requireBuiltClient();
  t = await startTestServer({ webRoot: WEB_ROOT });
  browser = await launchBrowser();
  s = await signedInPage(browser, base());
  page = s.page;
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
  rmSync(disk2, { recursive: true, force: true });
});

describe('Settings → Storage', () => {
  it('lists the default location with its state, free space, floor and usage', async () => {
    await page.goto(`${base()}/#/settings`);
    await page.getByRole('heading', { name: 'Storage', exact: true }).waitFor();
    const first = row('Recordings');
    await expect.poll(() => first.locator('td.status').textContent()).toContain('Ready');
    expect(await first.textContent()).toContain(path.join(t.dataDir, 'recordings'));
    expect(await first.textContent()).toMatch(/[\d.]+ [GTM]iB free of [\d.]+ [GTM]iB/);
    expect(await first.textContent()).toContain('0 bytes in 0 files');
    expect(await first.locator('input[name=floorGiB]').inputValue()).toBe('1');
    expect(await first.locator('input[name=limitGiB]').inputValue()).toBe('');
    // the only location cannot be removed, and the page says why
    expect(await first.textContent()).toContain('Cameras need at least one storage location.');
  });

  it('explains mistakes in plain words, from the page and from the server', async () => {
    await page.fill('input[name=locationName]', 'Disk 2');
    await page.fill('input[name=locationPath]', 'disk2');
    await page.click('button:has-text("Add location")');
    await expect.poll(status).toContain('must be a full path starting with /');
    await page.fill('input[name=locationPath]', path.join(disk2, 'missing'));
    await page.click('button:has-text("Add location")');
    await expect.poll(status).toContain(`There is no directory ${path.join(disk2, 'missing')}`);
    const inner = path.join(t.dataDir, 'recordings', 'inner');
    mkdirSync(inner);
    await page.fill('input[name=locationPath]', inner);
    await page.click('button:has-text("Add location")');
    await expect.poll(status).toContain('lies inside the storage location "Recordings"');
    expect(await page.getAttribute('#storage-settings [role=status]', 'class')).toBe('error');
    expect(await locations()).toHaveLength(1);
  });

  it('adds a location with a floor and a limit, then changes both in place', async () => {
    await page.fill('input[name=locationName]', 'Disk 2');
    await page.fill('input[name=locationPath]', disk2);
    await page.fill('input[name=newFloorGiB]', '2');
    await page.fill('input[name=newLimitGiB]', '20');
    await page.click('button:has-text("Add location")');
    await expect.poll(status).toContain('Disk 2 added.');
    await expect.poll(() => row('Disk 2').locator('td.status').textContent()).toContain('Ready');
    const [, added] = await locations();
    expect(added).toMatchObject({ name: 'Disk 2', freeSpaceFloorBytes: 2 * GiB, sizeLimitBytes: 20 * GiB });

    await row('Disk 2').locator('input[name=floorGiB]').fill('1.5');
    await row('Disk 2').locator('input[name=floorGiB]').press('Enter');
    await expect.poll(async () => (await locations())[1]!.freeSpaceFloorBytes).toBe(1.5 * GiB);
    await expect.poll(status).toContain('Disk 2 keeps 1.5 GiB free.');
    await row('Disk 2').locator('input[name=limitGiB]').fill('0.1');
    await row('Disk 2').locator('input[name=limitGiB]').press('Enter');
    await expect.poll(status).toContain('at least 0.25 GiB');
    await row('Disk 2').locator('input[name=limitGiB]').fill('');
    await row('Disk 2').locator('input[name=limitGiB]').press('Enter');
    await expect.poll(async () => (await locations())[1]!.sizeLimitBytes).toBe(null);
    // both locations can now be removed: neither holds cameras or footage
    expect(await row('Recordings').locator('button:has-text("Remove")').count()).toBe(1);
  });

  it('moves a camera there from the camera list; a location in use says why it stays', async () => {
    const csrf = (
      (await (await s.context.request.get(`${base()}/api/v1/auth/session`)).json()) as { csrfToken: string }
    ).csrfToken;
    const created = await s.context.request.post(`${base()}/api/v1/cameras`, {
      headers: { 'x-csrf-token': csrf },
      data: { name: 'Ferry ramp', mainUrl: 'rtsp://127.0.0.1:9/stream', recording: { mode: 'off' } },
    });
    expect(created.status()).toBe(201);
    await page.reload();
    const camera = page.locator('#cameras-settings tr', { hasText: 'Ferry ramp' });
    await camera.locator('select[name=storageLocation]').selectOption({ label: 'Disk 2' });
    await expect
      .poll(() => page.textContent('#cameras-settings [role=status]'))
      .toContain('Ferry ramp now records to Disk 2');
    await expect.poll(() => row('Disk 2').locator('td.camera-count').textContent()).toBe('1');
    expect(await row('Disk 2').textContent()).toContain(
      'A camera records here: move it to another location first.',
    );
    expect(await row('Disk 2').locator('button:has-text("Remove")').count()).toBe(0);
    await page.screenshot({ path: `${ARTEFACTS}web-settings-storage.png`, fullPage: true });
    await camera.locator('select[name=storageLocation]').selectOption({ label: 'Recordings' });
    await expect.poll(() => row('Disk 2').locator('td.camera-count').textContent()).toBe('0');
  });

  it('warns before a floor above the free space, then shows the location full', async () => {
    const [, disk] = await locations();
    const dialogs: string[] = [];
    page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    const input = row('Disk 2').locator('input[name=floorGiB]');
    await input.fill(String(Math.ceil((disk!.totalBytes! * 2) / GiB)));
    await input.press('Enter');
    await expect.poll(() => row('Disk 2').locator('td.status').textContent()).toContain('Full');
    expect(dialogs[0]).toMatch(/deletes the oldest unlocked footage there at once/);
    expect(await row('Disk 2').locator('td.status').textContent()).toContain('larger than the disk');
    expect(await status()).toContain('Recording here is stopped');
    await input.fill('1');
    await input.press('Enter');
    await expect.poll(() => row('Disk 2').locator('td.status').textContent()).toContain('Ready');
  });

  it('removes a location once nothing depends on it', async () => {
    page.once('dialog', (d) => void d.accept());
    await row('Disk 2').locator('button:has-text("Remove")').click();
    await expect.poll(status).toContain('Disk 2 removed.');
    await expect.poll(() => row('Disk 2').count()).toBe(0);
    expect((await locations()).map((l) => l.name)).toEqual(['Recordings']);
    // one location left: the camera list no longer offers a choice
    await expect.poll(() => page.locator('select[name=storageLocation]').count()).toBe(0);
    // the only console lines are the browser's notes on the two refusals this test provoked
    expect(s.errors).toEqual([
      'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
      'console: Failed to load resource: the server responded with a status of 409 (Conflict)',
    ]);
  });
});
