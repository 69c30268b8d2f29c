// The command section of docs/ref/cli.md, made from the commands' own --help texts so the reference
// and the program never disagree: scripts/write-cli-ref.mjs writes it, a test compares.
import { CERT_HELP } from './cmd-cert.js';
import { CHECK_HELP } from './cmd-check.js';
import { PROBE_HELP } from './cmd-probe.js';
import { RECORD_HELP } from './cmd-record.js';
import { DEMO_HELP, SERVE_HELP } from './cmd-serve.js';
import { SIM_HELP } from './cmd-sim.js';
import { USER_HELP } from './cmd-user.js';
import { MAIN_HELP } from './main.js';

export const CLI_REF_BEGIN =
  '<!-- Generated from `argus <command> --help` by scripts/write-cli-ref.mjs; edit the commands, not this. -->';
export const CLI_REF_END = '<!-- End of the generated command help. -->';

const SECTIONS: ReadonlyArray<readonly [command: string, help: string]> = [
  ['argus', MAIN_HELP],
  ['argus serve', SERVE_HELP],
  ['argus demo', DEMO_HELP],
  ['argus cert', CERT_HELP],
  ['argus user', USER_HELP],
  ['argus probe', PROBE_HELP],
  ['argus record', RECORD_HELP],
  ['argus sim', SIM_HELP],
  ['argus check', CHECK_HELP],
];

/** Every command's --help as Markdown, between the markers. */
export function cliReferenceMarkdown(): string {
  const body = SECTIONS.map(
    ([command, help]) => `### \`${command}\`\n\n\`\`\`text\n${help.trimEnd()}\n\`\`\``,
  );
  return [CLI_REF_BEGIN, '', ...body.flatMap((b) => [b, '']), CLI_REF_END].join('\n');
}

/** `doc` with its generated section replaced by the current one; throws without the markers. */
export function withCliReference(doc: string): string {
  const begin = doc.indexOf(CLI_REF_BEGIN);
  const end = doc.indexOf(CLI_REF_END);
  if (begin < 0 || end < begin) throw new Error('docs/ref/cli.md has no generated command section');
  return doc.slice(0, begin) + cliReferenceMarkdown() + doc.slice(end + CLI_REF_END.length);
}
