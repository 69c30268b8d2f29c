// `argus user add|passwd|list`: manage users in the local database, the server host's recovery
// path when nobody can log in (like the manual's password-reset disk).
import { parseArgs } from 'node:util';
import { Roles, type Role } from '@argus/api';
import { loadConfig, localUserAdd, localUserList, localUserPasswd } from '@argus/server';
import { UsageError, type CliIo } from './cli-io.js';
import { configOverrides, SERVER_FLAGS, SERVER_FLAGS_HELP } from './server-flags.js';

export const USER_HELP = `Usage: argus user <add|passwd|list> [options]

  argus user add NAME [--role administrator|operator|viewer] --password-stdin
  argus user passwd NAME --password-stdin      set a new password; ends the user's sessions
  argus user list

Works directly on the data directory's database, so it needs access to the server's files, not
a login. The password is read from standard input (one line) so it stays out of the shell history
and the process list.

Options:
  --role ROLE         role of a new user; default operator
  --password-stdin    read the password from standard input
${SERVER_FLAGS_HELP}`;

const MIN_PASSWORD_LENGTH = 10;

async function readPassword(io: CliIo, fromStdin: boolean | undefined): Promise<string> {
  if (!fromStdin) throw new UsageError('give the password on standard input with --password-stdin');
  const password = (await io.readStdin()).replace(/\r?\n$/, '');
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new UsageError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  return password;
}

export async function cmdUser(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...SERVER_FLAGS, role: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    allowPositionals: true,
  });
  const [action, name, ...rest] = positionals;
  if (values.help || action === undefined) {
    io.out(USER_HELP);
    return values.help ? 0 : 2;
  }
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  const config = loadConfig({
    configFile: values.config,
    env: io.env,
    cwd: io.cwd,
    overrides: configOverrides(values),
  });
  switch (action) {
    case 'list': {
      for (const u of await localUserList(config))
        io.out(`${u.username}\t${u.role}\tcreated ${new Date(u.createdAtMs).toISOString()}`);
      return 0;
    }
    case 'add': {
      if (!name) throw new UsageError('argus user add needs a user name');
      const role = (values.role ?? 'operator') as Role;
      if (!Roles.includes(role))
        throw new UsageError(`unknown role "${values.role}"; use ${Roles.join(', ')}`);
      const user = await localUserAdd(config, name, await readPassword(io, values['password-stdin']), role);
      io.out(`added ${user.username} (${user.role})`);
      return 0;
    }
    case 'passwd': {
      if (!name) throw new UsageError('argus user passwd needs a user name');
      await localUserPasswd(config, name, await readPassword(io, values['password-stdin']));
      io.out(`password of ${name} changed; their sessions were ended`);
      return 0;
    }
    default:
      throw new UsageError(`unknown user action "${action}"; use add, passwd or list`);
  }
}
