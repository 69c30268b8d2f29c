#!/usr/bin/env node
// Import-direction check (ARCHITECTURE.md "Imports run one way"): package edges, the server's
// layer order with each folder's index.ts as its only door, and no import cycles anywhere.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Which @argus packages each package may import. */
export const PACKAGE_RULES = {
  media: [],
  api: [],
  server: ['media', 'api'],
  simulator: ['media'],
  cli: ['media', 'api', 'server', 'simulator'],
  web: ['api'],
};

/** Server layers, top to bottom; a folder may import only folders of a strictly lower rank. */
export const SERVER_LAYERS = [
  ['(root)'],
  ['app'],
  ['http'],
  ['live', 'playback', 'export', 'events', 'devices', 'auth'],
  ['ingest'],
  ['storage', 'db'],
  ['base'],
];

const IMPORT_RE =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function listTs(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listTs(full));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function specifiers(source) {
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found = [];
  for (const m of withoutComments.matchAll(IMPORT_RE)) found.push(m[1] ?? m[2] ?? m[3]);
  return found.filter(Boolean);
}

function resolveRelative(fromFile, spec) {
  const base = path.resolve(path.dirname(fromFile), spec);
  const candidates = [
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.js$/, '.tsx'),
    `${base}.ts`,
    path.join(base, 'index.ts'),
  ];
  return candidates.find((c) => existsSync(c)) ?? null;
}

function serverFolder(srcDir, file) {
  const rel = path.relative(srcDir, file).split(path.sep);
  return rel.length === 1 ? '(root)' : rel[0];
}

function layerRank(folder) {
  return SERVER_LAYERS.findIndex((layer) => layer.includes(folder));
}

/** Returns a list of violations (strings) for the repository rooted at `root`. */
export function checkImports(root) {
  const problems = [];
  const graph = new Map();
  const packagesDir = path.join(root, 'packages');
  for (const pkg of existsSync(packagesDir) ? readdirSync(packagesDir) : []) {
    const srcDir = path.join(packagesDir, pkg, 'src');
    const allowed = PACKAGE_RULES[pkg];
    for (const file of listTs(srcDir)) {
      const rel = path.relative(root, file);
      const edges = [];
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        const m = /^@argus\/([^/]+)(\/.*)?$/.exec(spec);
        if (m) {
          if (!allowed || !allowed.includes(m[1]))
            problems.push(`${rel}: package ${pkg} may not import @argus/${m[1]}`);
          if (m[2]) problems.push(`${rel}: import ${spec} reaches inside a package; use its entry point`);
          continue;
        }
        if (!spec.startsWith('.')) continue;
        const target = resolveRelative(file, spec);
        if (!target) {
          problems.push(`${rel}: cannot resolve ${spec}`);
          continue;
        }
        if (!target.startsWith(srcDir + path.sep)) {
          problems.push(`${rel}: import ${spec} leaves the package's src/`);
          continue;
        }
        edges.push(target);
        if (pkg === 'server') {
          const from = serverFolder(srcDir, file);
          const to = serverFolder(srcDir, target);
          if (from === to) continue;
          const fromRank = layerRank(from);
          const toRank = layerRank(to);
          if (fromRank < 0) problems.push(`${rel}: server folder ${from} is not in the layer list`);
          else if (toRank < 0) problems.push(`${rel}: server folder ${to} is not in the layer list`);
          else if (toRank <= fromRank)
            problems.push(`${rel}: server layer ${from} may not import ${to} (imports go downward only)`);
          if (path.basename(target) !== 'index.ts' || path.dirname(target) !== path.join(srcDir, to))
            problems.push(`${rel}: import ${spec} bypasses ${to}/index.ts, the folder's only door`);
        }
      }
      graph.set(file, edges);
    }
  }
  for (const cycle of findCycles(graph))
    problems.push(`import cycle: ${cycle.map((f) => path.relative(root, f)).join(' -> ')}`);
  return problems;
}

function findCycles(graph) {
  const cycles = [];
  const state = new Map(); // 1 = on stack, 2 = done
  const stack = [];
  const visit = (node) => {
    state.set(node, 1);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 1) cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 2);
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const problems = checkImports(root);
  for (const p of problems) console.error(`check-imports: ${p}`);
  if (problems.length > 0) process.exit(1);
  console.log('check-imports: import directions and layers are clean, no cycles');
}
