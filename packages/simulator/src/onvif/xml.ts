// A tiny, bounded XML 1.0 parser for SOAP requests (elements, attributes, text, CDATA, comments,
// the five predefined and numeric character references, namespaces per XML Namespaces 1.0 §6).
// DOCTYPE and entity declarations are refused, so there is no entity expansion. Also output escaping.
import { MediaError } from '@argus/media';
import { ERR_SIM_XML } from '../simulator-errors.js';

export interface XmlElement {
  /** Local name without prefix. */
  local: string;
  /** Namespace URI resolved from xmlns declarations ('' when none). */
  ns: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element. */
  text: string;
}

export const MAX_XML_DEPTH = 64;
export const MAX_XML_ELEMENTS = 20_000;

function fail(message: string): never {
  throw new MediaError(ERR_SIM_XML, message);
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&\s]{1,10});/g, (_m, ref: string) => {
    if (ref.startsWith('#x') || ref.startsWith('#X')) {
      const code = Number.parseInt(ref.slice(2), 16);
      if (!Number.isFinite(code) || code > 0x10ffff) fail('bad character reference');
      return String.fromCodePoint(code);
    }
    if (ref.startsWith('#')) {
      const code = Number.parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code > 0x10ffff) fail('bad character reference');
      return String.fromCodePoint(code);
    }
    const value = PREDEFINED[ref];
    if (value === undefined) fail(`unknown entity &${ref};`);
    return value;
  });
}

const NAME_RE = /[A-Za-z_][\w.\-:]*/y;
const ATTR_RE = /\s*([A-Za-z_][\w.\-:]*)\s*=\s*("([^"]*)"|'([^']*)')/y;

interface Frame {
  el: XmlElement;
  qname: string;
  scope: Map<string, string>;
}

/** Parses a document and returns its root element. Throws MediaError(ARGUS_ERR_SIM_XML). */
export function parseXml(input: string): XmlElement {
  let pos = 0;
  let count = 0;
  let root: XmlElement | undefined;
  const stack: Frame[] = [];
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const chunk = lt < 0 ? text.slice(pos) : text.slice(pos, lt);
    if (chunk.length > 0) {
      const top = stack.at(-1);
      if (top !== undefined) top.el.text += decodeEntities(chunk);
      else if (chunk.trim() !== '') fail('text outside the root element');
    }
    if (lt < 0) break;
    pos = lt;
    if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos + 4);
      if (end < 0) fail('unterminated comment');
      pos = end + 3;
    } else if (text.startsWith('<![CDATA[', pos)) {
      const end = text.indexOf(']]>', pos + 9);
      if (end < 0) fail('unterminated CDATA');
      const top = stack.at(-1);
      if (top === undefined) fail('CDATA outside the root element');
      top.el.text += text.slice(pos + 9, end);
      pos = end + 3;
    } else if (text.startsWith('<?', pos)) {
      const end = text.indexOf('?>', pos + 2);
      if (end < 0) fail('unterminated processing instruction');
      pos = end + 2;
    } else if (text.startsWith('<!', pos)) {
      fail('DOCTYPE and declarations are not accepted');
    } else if (text.startsWith('</', pos)) {
      NAME_RE.lastIndex = pos + 2;
      const m = NAME_RE.exec(text);
      if (m === null) fail('bad end tag');
      const frame = stack.pop();
      if (frame === undefined || frame.qname !== m[0]) fail(`unexpected end tag </${m[0]}>`);
      const close = text.indexOf('>', NAME_RE.lastIndex);
      if (close < 0 || text.slice(NAME_RE.lastIndex, close).trim() !== '') fail('bad end tag');
      pos = close + 1;
      if (stack.length === 0) root = frame.el;
    } else {
      if (root !== undefined) fail('content after the root element');
      NAME_RE.lastIndex = pos + 1;
      const m = NAME_RE.exec(text);
      if (m === null) fail('bad start tag');
      const qname = m[0];
      pos = NAME_RE.lastIndex;
      const rawAttrs: Array<[string, string]> = [];
      for (;;) {
        ATTR_RE.lastIndex = pos;
        const a = ATTR_RE.exec(text);
        if (a === null) break;
        rawAttrs.push([a[1]!, decodeEntities(a[3] ?? a[4] ?? '')]);
        pos = ATTR_RE.lastIndex;
        if (rawAttrs.length > 256) fail('too many attributes');
      }
      while (pos < text.length && /\s/.test(text[pos]!)) pos++;
      const selfClosing = text.startsWith('/>', pos);
      if (!selfClosing && text[pos] !== '>') fail(`bad start tag <${qname}>`);
      pos += selfClosing ? 2 : 1;
      if (++count > MAX_XML_ELEMENTS) fail('too many elements');
      if (stack.length >= MAX_XML_DEPTH) fail('elements nested too deeply');
      const parentScope = stack.at(-1)?.scope ?? new Map<string, string>();
      let scope = parentScope;
      const attrs: Record<string, string> = {};
      for (const [name, value] of rawAttrs) {
        if (name === 'xmlns' || name.startsWith('xmlns:')) {
          if (scope === parentScope) scope = new Map(parentScope);
          scope.set(name === 'xmlns' ? '' : name.slice(6), value);
        } else {
          const colon = name.indexOf(':');
          attrs[colon < 0 ? name : name.slice(colon + 1)] = value;
        }
      }
      const colon = qname.indexOf(':');
      const prefix = colon < 0 ? '' : qname.slice(0, colon);
      const el: XmlElement = {
        local: colon < 0 ? qname : qname.slice(colon + 1),
        ns: scope.get(prefix) ?? '',
        attrs,
        children: [],
        text: '',
      };
      const parent = stack.at(-1);
      if (parent !== undefined) parent.el.children.push(el);
      if (selfClosing) {
        if (parent === undefined) root = el;
      } else {
        stack.push({ el, qname, scope });
      }
    }
  }
  if (stack.length > 0 || root === undefined) fail('document is incomplete');
  return root;
}

export function child(el: XmlElement | undefined, local: string): XmlElement | undefined {
  return el?.children.find((c) => c.local === local);
}

export function childrenNamed(el: XmlElement | undefined, local: string): XmlElement[] {
  return el === undefined ? [] : el.children.filter((c) => c.local === local);
}

/** First element named `local` anywhere below `el` (depth first). */
export function descendant(el: XmlElement | undefined, local: string): XmlElement | undefined {
  if (el === undefined) return undefined;
  for (const c of el.children) {
    if (c.local === local) return c;
    const found = descendant(c, local);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Trimmed text of the child named `local`, or undefined. */
export function childText(el: XmlElement | undefined, local: string): string | undefined {
  const c = child(el, local);
  return c === undefined ? undefined : c.text.trim();
}

export function escapeXml(value: string | number | boolean): string {
  return String(value).replace(/[<>&"']/g, (ch) =>
    ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : ch === '"' ? '&quot;' : '&apos;',
  );
}
