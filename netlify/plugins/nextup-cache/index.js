// Netlify build plugin: keeps what a refresh needs between deploys, so that the scheduled
// refresh renders only what changed instead of the whole site. README.md, "Scheduled refresh".
//
// Netlify builds each deploy in a fresh clone: the generator's cache (.nextup-cache/ beside the
// output, generator/build/cache.py cache_path) and the previous output (public/, which the
// cache's manifest describes) are gone. onPreBuild puts both back from Netlify's build cache;
// onPostBuild saves them. Whether they may be used is the generator's decision, not ours: the
// cache is keyed by the code, templates, packages and site.toml, an event's work by its file's
// bytes, and a kept output file must have the manifest's size and modification time.
//
// Both folders travel as one POSIX (pax) tar archive. Netlify's cache utilities copy files
// with millisecond times (Node's utimes), and the generator compares modification times to
// the nanosecond: restored file by file, no output file would be reused. A pax archive keeps
// nanoseconds, and keeps the output and the cache that describes it together.
//
// Saved in onPostBuild, which runs only when the build command (and everything before it)
// succeeded, and before the deploy: a failed build saves nothing, so the cache saved by the last
// good build stays. onSuccess would run only after the deploy, where a failure to save could no
// longer be told apart from the deploy's own.
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';

const CACHE_FOLDER = '.nextup-cache';
const ARCHIVE = '.nextup-cache.tar';

// The output folder (netlify.toml's publish, which is the build command's --output), the folder
// beside it that holds the generator's cache, and where the archive is made.
function places(constants) {
  const output = resolve(constants.PUBLISH_DIR);
  const parent = dirname(output);
  return {
    output,
    parent,
    cache: join(parent, CACHE_FOLDER),
    archive: join(parent, ARCHIVE),
    name: (path) => relative(process.cwd(), path) || '.',
  };
}

async function sizeOf(folder) {
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      files += 1;
      bytes += (await stat(join(entry.parentPath ?? entry.path, entry.name))).size;
    }
  }
  return { files, bytes };
}

const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

async function describe(folder) {
  const { files, bytes } = await sizeOf(folder);
  return `${files} files, ${megabytes(bytes)}`;
}

export const onPreBuild = async function ({ constants, utils }) {
  const at = places(constants);
  if (existsSync(at.output) || existsSync(at.cache)) {
    // Not a fresh clone (`netlify build` on a computer): what is there is newer than any cache.
    console.log(`nextup-cache: ${at.name(at.output)}/ or ${at.name(at.cache)}/ already exists; ` +
      'kept as it is, nothing restored.');
    return;
  }
  let restored;
  try {
    restored = await utils.cache.restore(at.archive);
  } catch (error) {
    // A cache that cannot be read only costs time: the build goes on without it.
    await rm(at.archive, { force: true });
    console.warn(`nextup-cache: Netlify's cache could not give back ${at.name(at.archive)} ` +
      `(${error.message}); nothing restored, this build is a full one.`);
    return;
  }
  if (!restored) {
    console.log('nextup-cache: no saved cache (the first deploy, or the cache was cleared): ' +
      'this build is a full one.');
    return;
  }
  try {
    await utils.run('tar', ['--extract', '--file', at.archive, '--directory', at.parent]);
  } catch (error) {
    // A damaged archive: build from nothing rather than from half of it.
    await rm(at.output, { recursive: true, force: true });
    await rm(at.cache, { recursive: true, force: true });
    console.warn(`nextup-cache: ${at.name(at.archive)} from Netlify's cache could not be ` +
      `unpacked (${error.shortMessage ?? error.message}); nothing restored, this build is a full one.`);
    return;
  } finally {
    await rm(at.archive, { force: true });
  }
  if (!existsSync(at.output) || !existsSync(at.cache)) {
    console.warn(`nextup-cache: the saved cache lacks ${at.name(at.output)}/ or ` +
      `${at.name(at.cache)}/ (was publish changed?); the generator will rebuild what it needs.`);
  }
  console.log(`nextup-cache: restored ${at.name(at.output)}/ (${await describe(at.output)}) and ` +
    `${at.name(at.cache)}/ (${await describe(at.cache)}) from an earlier deploy. The generator ` +
    'uses them only if the code, templates, packages and site.toml are the same, and per event ' +
    'only for the same file.');
};

export const onPostBuild = async function ({ constants, utils }) {
  const at = places(constants);
  if (!existsSync(at.output) || !existsSync(at.cache)) {
    console.warn(`nextup-cache: the build left no ${at.name(at.output)}/ and ` +
      `${at.name(at.cache)}/ to save (does the build command write --output ` +
      `${at.name(at.output)}?); nothing saved.`);
    return;
  }
  const folders = [basename(at.output), CACHE_FOLDER];
  try {
    await mkdir(at.parent, { recursive: true });
    await utils.run('tar', ['--create', '--format=pax', '--file', at.archive,
      '--directory', at.parent, ...folders]);
    const { size } = await stat(at.archive);
    if (!(await utils.cache.save(at.archive, { move: true }))) {
      throw new Error(`Netlify's cache did not take ${at.name(at.archive)}`);
    }
    console.log(`nextup-cache: saved ${folders.map((f) => `${f}/`).join(' and ')} ` +
      `(${megabytes(size)}) for the next deploy.`);
  } catch (error) {
    // The deploy itself is fine; only the next build will be a full one.
    utils.build.failPlugin(`nextup-cache: could not save the cache for the next deploy: ` +
      `${error.shortMessage ?? error.message}`, { error });
  } finally {
    await rm(at.archive, { force: true });
  }
};
