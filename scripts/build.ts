/**
 * The topology's processes as plain JavaScript: each entry (a service's main.ts, the gateway's, the
 * broker's, the embedded server's) bundled once by esbuild with the repository's own TypeScript in
 * it, so that a child runs on `node` alone. Run through tsx's loader instead, each child carried a
 * second module-loading thread and the loader's transforms and caches: measured here, an empty
 * script took 36 MB of PSS on node and 83 MB under tsx, and the system runs a dozen such processes
 * (issue 7, item 5: the whole embedded system under 1.5 GB).
 *
 * What stays as it was: the packages from node_modules stay out of the bundles and are loaded by
 * node as the sources load them (one copy each, node's own choice of their files); `import.meta.url`
 * in each source file still names that file, so the files found beside it (migrations, schemas, the
 * catalogue, a worker's script) are found as before. esbuild is what tsx itself transforms with, so
 * the code runs as it did.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, stop, type Plugin } from 'esbuild';

const SOURCE = /\.[cm]?ts$/;

/** Keeps each source file's own `import.meta.url`, and every package outside the repository's own where node finds it. */
function inPlace(root: string): Plugin {
  return {
    name: 'onecheck-in-place',
    setup(b) {
      // Only the repository's own sources get here: every package from node_modules stays out (below).
      b.onLoad({ filter: SOURCE }, (args) => {
        const url = JSON.stringify(pathToFileURL(args.path).href);
        const contents = readFileSync(args.path, 'utf8').replace(/\bimport\.meta\.url\b/g, url);
        return { contents, loader: 'ts', resolveDir: dirname(args.path) };
      });
      // A bare specifier other than a workspace package (@onecheck/…) stays out of the bundle. Where
      // node finds it in the repository's own node_modules, under its name: the bundle lies in the
      // repository, so node resolves it from there as it would from the source, with node's own
      // choice of the package's files. Where a workspace has a version of its own (a nested
      // node_modules), under the path esbuild found. JSON goes into the bundle (node would want an
      // import attribute for it).
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.path.startsWith('@onecheck/') || args.pluginData === 'inner') return undefined;
        if (args.path.startsWith('node:')) return { path: args.path, external: true };
        const found = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: 'inner',
        });
        if (found.errors.length) return { errors: found.errors };
        if (found.path.endsWith('.json') || !found.path.includes('/node_modules/')) return undefined;
        const hoisted =
          found.path.startsWith(join(root, 'node_modules') + '/') && found.path.split('/node_modules/').length === 2;
        return { path: hoisted ? args.path : found.path, external: true };
      });
    },
  };
}

/**
 * Bundles each entry (absolute paths of .ts files under `root`) into `outDir`, which must lie in the
 * repository (node resolves the packages left out from there); resolves to the bundle of each entry,
 * by entry. Each file is written whole and then renamed into place, so that topologies starting at
 * once (tests, the benchmarks) may share the folder: a process never reads half a bundle.
 */
export async function buildEntries(root: string, entries: readonly string[], outDir: string) {
  mkdirSync(outDir, { recursive: true });
  const bundles = new Map<string, string>();
  building++;
  try {
    await bundleAll(root, entries, outDir, bundles);
  } finally {
    // esbuild's service process keeps what it parsed (160 MB here) until it is stopped; the next
    // build starts a new one.
    if (--building === 0) await stop();
  }
  return bundles;
}

/** Builds under way in this process: esbuild's service is stopped when the last one ends. */
let building = 0;

async function bundleAll(root: string, entries: readonly string[], outDir: string, bundles: Map<string, string>) {
  await Promise.all(
    entries.map(async (entry) => {
      const out = join(outDir, `${relative(root, dirname(entry)).replaceAll('/', '-')}-${basename(entry, '.ts')}.mjs`);
      const { outputFiles } = await build({
        entryPoints: [entry],
        outfile: out,
        write: false,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        sourcemap: 'linked',
        logLevel: 'silent',
        plugins: [inPlace(root)],
      });
      for (const file of outputFiles) {
        const part = `${file.path}.${process.pid}.${randomUUID().slice(0, 8)}`;
        writeFileSync(part, file.contents);
        renameSync(part, file.path);
      }
      bundles.set(entry, out);
    }),
  );
}
