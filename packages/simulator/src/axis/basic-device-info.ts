// Axis Basic device information API (VAPIX basicdeviceinfo.cgi, JSON over POST, apiVersion 1.x):
// getAllProperties, getAllUnrestrictedProperties, getProperties and getSupportedVersions.
import type { CameraIdentity } from '../camera/camera-identity.js';

export function deviceProperties(id: CameraIdentity): Record<string, string> {
  return {
    Architecture: 'x86_64',
    Brand: id.manufacturer,
    BuildDate: 'Jan 01 2025 00:00',
    HardwareID: id.hardwareId,
    ProdFullName: id.fullName,
    ProdNbr: id.model,
    ProdShortName: `${id.manufacturer} ${id.model}`,
    ProdType: id.ptz ? 'PTZ Network Camera' : 'Network Camera',
    ProdVariant: '',
    SerialNumber: id.serial,
    Soc: 'Simulated',
    SocSerialNumber: id.serial,
    Version: id.firmwareVersion,
    WebURL: 'https://github.com/argus-vms',
  };
}

/** Returns [httpStatus, json]. `body` is the raw request body ('' for GET). */
export function basicDeviceInfo(id: CameraIdentity, body: string): [number, unknown] {
  let request: Record<string, unknown> = { apiVersion: '1.0', method: 'getAllProperties' };
  if (body.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
      request = parsed as Record<string, unknown>;
    } catch {
      return [400, { apiVersion: '1.0', error: { code: 4000, message: 'Invalid JSON' } }];
    }
  }
  const base: Record<string, unknown> = { apiVersion: '1.0' };
  if (typeof request['context'] === 'string') base['context'] = request['context'];
  const method = request['method'];
  const all = deviceProperties(id);
  switch (method) {
    case 'getSupportedVersions':
      return [200, { ...base, method, data: { apiVersions: ['1.0'] } }];
    case 'getAllProperties':
    case 'getAllUnrestrictedProperties':
      return [200, { ...base, method, data: { propertyList: all } }];
    case 'getProperties': {
      const params = request['params'] as { propertyList?: unknown } | undefined;
      const wanted = params?.propertyList;
      if (!Array.isArray(wanted) || !wanted.every((w) => typeof w === 'string')) {
        return [
          200,
          { ...base, method, error: { code: 4002, message: 'propertyList must be an array of names' } },
        ];
      }
      const out: Record<string, string> = {};
      for (const name of wanted as string[]) if (Object.hasOwn(all, name)) out[name] = all[name]!;
      return [200, { ...base, method, data: { propertyList: out } }];
    }
    default:
      return [200, { ...base, error: { code: 2002, message: 'Method not supported' } }];
  }
}
