// The Storage section's pure pieces: GiB fields to bytes, the add-location body with mistakes in
// words, byte counts as `df -h` shows them, why a location cannot be removed, the floor warning.
import type { StorageLocation } from '@argus/api';
import { describe, expect, it } from 'vitest';
import {
  GIB,
  floorWarning,
  formatBytes,
  parseGiB,
  removalBlocker,
  storageCreateBody,
  toGiB,
} from '../src/settings/storage-form.js';

const loc = (extra: Partial<StorageLocation> = {}): StorageLocation => ({
  id: 2,
  name: 'Disk 2',
  path: '/mnt/disk2',
  freeSpaceFloorBytes: GIB,
  sizeLimitBytes: null,
  state: 'ok',
  reason: null,
  message: 'Cameras can record here.',
  usedBytes: 0,
  segmentCount: 0,
  freeBytes: 10 * GIB,
  totalBytes: 100 * GIB,
  cameraCount: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

describe('storage form', () => {
  it('reads GiB with a dot or a comma, refuses words, negatives and values under the minimum', () => {
    expect(parseGiB('1')).toBe(GIB);
    expect(parseGiB(' 1,5 ')).toBe(1.5 * GIB);
    expect(parseGiB('0')).toBe(0);
    expect(parseGiB('-1')).toBeUndefined();
    expect(parseGiB('1e3')).toBeUndefined();
    expect(parseGiB('lots')).toBeUndefined();
    expect(parseGiB('')).toBeUndefined();
    expect(parseGiB('0.1', 0.25)).toBeUndefined();
    expect(parseGiB('99999999999')).toBeUndefined(); // beyond a safe integer of bytes
    expect(toGiB(1.5 * GIB)).toBe('1.5');
    expect(toGiB(1_000_000_000_000)).toBe('931.32');
  });

  it('builds the add-location body, or says what is wrong', () => {
    expect(storageCreateBody({ name: ' Disk 2 ', path: '/mnt/d2 ', floorGiB: '2', limitGiB: '' })).toEqual({
      body: { name: 'Disk 2', path: '/mnt/d2', freeSpaceFloorBytes: 2 * GIB },
    });
    expect(storageCreateBody({ name: 'D', path: '/d', floorGiB: '', limitGiB: '0.5' })).toEqual({
      body: { name: 'D', path: '/d', sizeLimitBytes: GIB / 2 },
    });
    const problem = (input: Partial<Parameters<typeof storageCreateBody>[0]>) =>
      (
        storageCreateBody({ name: 'D', path: '/d', floorGiB: '1', limitGiB: '', ...input }) as {
          problem?: string;
        }
      ).problem;
    expect(problem({ name: ' ' })).toBe('Give the storage location a name.');
    expect(problem({ path: 'disk2' })).toMatch(/full path starting with \//);
    expect(problem({ floorGiB: 'x' })).toMatch(/number of GiB/);
    expect(problem({ limitGiB: '0.1' })).toMatch(/at least 0.25 GiB/);
  });

  it('shows bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1023)).toBe('1023 bytes');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(512 * 1024 * 1024)).toBe('512 MiB');
    expect(formatBytes(2.25 * GIB)).toBe('2.3 GiB');
  });

  it('says why a location stays, and warns before a floor above the free space', () => {
    expect(removalBlocker(loc({ cameraCount: 2 }), 2)).toMatch(/2 cameras record here: move them/);
    expect(removalBlocker(loc({ segmentCount: 1 }), 2)).toMatch(/Holds 1 recording file;/);
    expect(removalBlocker(loc(), 1)).toMatch(/at least one storage location/);
    expect(removalBlocker(loc(), 2)).toBeUndefined();
    expect(floorWarning(loc(), 5 * GIB)).toBeUndefined();
    expect(floorWarning(loc(), 20 * GIB)).toMatch(/Only 10.0 GiB is free on Disk 2.*deletes the oldest/);
    expect(floorWarning(loc({ freeBytes: null }), 20 * GIB)).toBeUndefined();
  });
});
