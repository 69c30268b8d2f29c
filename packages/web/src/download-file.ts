// Saving media from the server: a snapshot is fetched first (so a failure is explained, not saved
// as a broken .jpg); an MP4 range is checked with HEAD (its size, or why there is nothing) and then
// downloaded by a plain link, so the browser streams it to disk.
import { ApiError } from '@argus/api';

async function errorOf(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  let body: { error?: { code?: string; message?: string; requestId?: string } } | undefined;
  try {
    body = text ? (JSON.parse(text) as typeof body) : undefined;
  } catch {
    body = undefined;
  }
  return new ApiError(
    res.status,
    body?.error?.code ?? (res.status === 404 ? 'ARGUS_ERR_NOT_FOUND' : 'ARGUS_ERR_INTERNAL'),
    body?.error?.message ?? res.statusText,
    body?.error?.requestId,
  );
}

/** Fetches `url` and offers it as `fileName`; throws ApiError when the server refuses. */
export async function fetchAndSave(url: string, fileName: string): Promise<number> {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw await errorOf(res);
  const blob = await res.blob();
  const objectUrl = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = objectUrl;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
  return blob.size;
}

/** Size in bytes of what `url` would download; throws ApiError (HEAD has no body: status only). */
export async function downloadSize(url: string): Promise<number | undefined> {
  const res = await fetch(url, { method: 'HEAD', credentials: 'same-origin' });
  if (!res.ok) throw await errorOf(res);
  const length = Number(res.headers.get('content-length'));
  return Number.isFinite(length) && length > 0 ? length : undefined;
}

/** `12.3 MB`, `850 kB` */
export function formatBytes(sizeBytes: number): string {
  if (sizeBytes >= 1e9) return `${(sizeBytes / 1e9).toFixed(1)} GB`;
  if (sizeBytes >= 1e6) return `${(sizeBytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(sizeBytes / 1e3))} kB`;
}
