// Cycle check (`npm run check:cycles`). Fails when workspaces depend on each other in a circle, or
// when a workspace's modules import each other in a circle.
//
// Why a script and not madge: madge leaves out everything resolved under node_modules, and npm
// links every `@onecheck/*` workspace there, so it cannot see an edge from one workspace to another.
// Here a workspace depends on another when its package.json declares it OR any of its sources
// imports it: an undeclared import is still an edge.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, dirname, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SKIP = new Set(['node_modules', 'tmp', 'data', 'dist', 'drizzle', '.turbo']);

/** Workspace folders from the root package.json (`dir/*` or a plain path, the only forms used). */
function workspaceDirs() {
  const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [join(root, pattern)];
    const parent = join(root, pattern.slice(0, -2));
    return readdirSync(parent)
      .map((d) => join(parent, d))
      .filter((d) => existsSync(join(d, 'package.json')));
  });
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return existsSync(join(path, 'package.json')) ? [] : sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

// import … from 'x', export … from 'x', import 'x', import('x'), vi.mock('x')
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\bmock\(\s*)['"]([^'"]+)['"]/g;
function specifiers(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return []; // removed while we looked (an editor's or a generator's temporary file)
  }
  return [...text.matchAll(SPECIFIER)].map((m) => m[1]);
}

/** Every elementary cycle found by depth-first search, each reported once. */
function cycles(graph) {
  const found = new Map();
  const state = new Map(); // 1 = on the stack, 2 = done
  const stack = [];
  const visit = (node) => {
    state.set(node, 1);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 1) {
        const cycle = stack.slice(stack.indexOf(next));
        const key = [...cycle].sort().join('|');
        if (!found.has(key)) found.set(key, [...cycle, next]);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 2);
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return [...found.values()];
}

const workspaces = workspaceDirs().map((dir) => {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return { dir, name: pkg.name, pkg, files: sourceFiles(dir) };
});
const names = new Set(workspaces.map((w) => w.name));
const packageOf = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

// Workspace graph: declared dependencies plus imports found in the sources, with why each edge exists.
const packageGraph = new Map();
const why = new Map();
const addEdge = (from, to, reason) => {
  packageGraph.get(from).add(to);
  const key = `${from} -> ${to}`;
  if (!why.has(key)) why.set(key, new Set());
  why.get(key).add(reason);
};
for (const w of workspaces) {
  packageGraph.set(w.name, new Set());
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const dep of Object.keys(w.pkg[field] ?? {})) {
      if (names.has(dep) && dep !== w.name) addEdge(w.name, dep, `package.json ${field}`);
    }
  }
  for (const file of w.files) {
    for (const spec of specifiers(file)) {
      const dep = packageOf(spec);
      if (names.has(dep) && dep !== w.name) addEdge(w.name, dep, `imported by ${relative(root, file)}`);
    }
  }
}

// Module graph: relative imports between files of the same workspace.
const moduleGraph = new Map();
const RESOLVE = ['', '.ts', '.mts', '.js', '.mjs', '/index.ts', '/index.js'];
for (const w of workspaces) {
  for (const file of w.files) {
    const edges = new Set();
    for (const spec of specifiers(file)) {
      if (!spec.startsWith('.')) continue;
      const base = resolve(dirname(file), spec);
      const target = RESOLVE.map((ext) => base + ext).find((p) => existsSync(p) && statSync(p).isFile());
      if (target) edges.add(relative(root, target));
    }
    moduleGraph.set(relative(root, file), edges);
  }
}

let failed = false;
for (const cycle of cycles(packageGraph)) {
  failed = true;
  console.error(`workspace cycle: ${cycle.join(' -> ')}`);
  for (let i = 0; i < cycle.length - 1; i++) {
    console.error(`  ${cycle[i]} -> ${cycle[i + 1]}: ${[...why.get(`${cycle[i]} -> ${cycle[i + 1]}`)].join(', ')}`);
  }
}
for (const cycle of cycles(moduleGraph)) {
  failed = true;
  console.error(`module cycle: ${cycle.join(' -> ')}`);
}
const modules = [...moduleGraph.keys()].length;
if (failed) {
  console.error('check:cycles: failed');
  process.exit(1);
}
console.log(`check:cycles: no cycle among ${workspaces.length} workspaces and ${modules} modules`);
