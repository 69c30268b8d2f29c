// The server host's recovery path (the manual's password-reset disk): manage users and read the
// certificate ID straight from the data directory, without a running server or a login.
import type { Role } from '@argus/api';
import { certificateIdOf, dataDirLayout, loadOrCreateTlsIdentity } from './app/index.js';
import { hashPassword } from './auth/index.js';
import { ArgusError, ExitCodes, StartupError, type Config } from './base/index.js';
import { openSqliteCatalog, type UserRecord } from './db/index.js';
import { existsSync, readFileSync } from 'node:fs';

function withCatalog<T>(
  config: Config,
  fn: (catalog: ReturnType<typeof openSqliteCatalog>) => Promise<T>,
): Promise<T> {
  const layout = dataDirLayout(config.dataDir);
  if (!existsSync(layout.catalogFile))
    throw new StartupError(
      'ARGUS_ERR_DATA_DIR',
      `no Argus database in ${config.dataDir}; start the server once or pass --data`,
      ExitCodes.dataDir,
    );
  const catalog = openSqliteCatalog(layout.catalogFile);
  return fn(catalog).finally(() => catalog.close());
}

export async function localUserAdd(
  config: Config,
  username: string,
  password: string,
  role: Role,
): Promise<UserRecord> {
  return withCatalog(config, async (catalog) => {
    const user = await catalog.users.create({
      username,
      passwordHash: await hashPassword(password),
      role,
      nowMs: Date.now(),
    });
    if (!user) throw new ArgusError('CONFLICT', `a user named "${username}" already exists`);
    return user;
  });
}

/** Sets a new password and ends the user's sessions. */
export async function localUserPasswd(config: Config, username: string, password: string): Promise<void> {
  return withCatalog(config, async (catalog) => {
    const user = await catalog.users.findByUsername(username);
    if (!user) throw new ArgusError('NOT_FOUND', `no user named "${username}"`);
    await catalog.users.setPassword(user.id, await hashPassword(password), Date.now());
    await catalog.sessions.deleteForUser(user.id);
  });
}

export async function localUserList(config: Config): Promise<UserRecord[]> {
  return withCatalog(config, (catalog) => catalog.users.list());
}

/** The certificate ID the server presents: the administrator's certificate, or the generated one. */
export function localCertificateId(config: Config): string {
  if (config.https.certFile) return certificateIdOf(readFileSync(config.https.certFile, 'utf8'));
  const certFile = `${dataDirLayout(config.dataDir).tlsDir}/server.crt`;
  if (!existsSync(certFile))
    return loadOrCreateTlsIdentity(config.dataDir, config.https, 'Argus', new Date()).certificateId;
  return certificateIdOf(readFileSync(certFile, 'utf8'));
}
