// Axis param.cgi (VAPIX Parameter management): action=list[&group=a,b] answers "root.X=Y" lines;
// action=update&root.X=Y sets writable parameters and answers "OK", or "# Error: ..." as Axis does.
import type { ParamStore } from '../camera/param-store.js';

export function paramCgi(params: ParamStore, query: URLSearchParams): string {
  const action = query.get('action');
  if (action === 'list') {
    const groups = (query.get('group') ?? '').split(',').filter((g) => g !== '');
    const lines = params.list(groups).map(([name, value]) => `${name}=${value}`);
    if (lines.length === 0) return `# Error: Error -1 getting param in group '${groups.join(',')}'\n`;
    return `${lines.join('\n')}\n`;
  }
  if (action === 'update') {
    const errors: string[] = [];
    let any = false;
    for (const [name, value] of query) {
      if (name === 'action') continue;
      any = true;
      if (!params.set(name, value)) errors.push(`# Error: Error setting '${name}' to '${value}'!`);
    }
    if (!any) return '# Error: No parameters to update\n';
    return errors.length > 0 ? `${errors.join('\n')}\n` : 'OK\n';
  }
  return `# Request failed: Invalid action '${action ?? ''}'\n`;
}
