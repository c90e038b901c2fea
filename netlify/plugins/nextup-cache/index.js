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
// nanoseconds, and keeps the output and the cache that describes it together. Its SHA-256 is
// saved beside it: an archive cut short can still unpack without an error (tar stops at the
// end of the last whole file), and half an output must not pass for the previous one.
//
// Saved in onPostBuild, which runs only when the build command (and everything before it)
// succeeded, and before the deploy: a failed build saves nothing, so the cache saved by the last
// good build stays. onSuccess would run only after the deploy, where a failure to save could no
// longer be told apart from the deploy's own.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';

const CACHE_FOLDER = '.nextup-cache';
const ARCHIVE = '.nextup-cache.tar';

// The output folder (netlify.toml's publish, which is the build command's --output), the folder
// beside it that holds the generator's cache, and where the archive and its checksum are made.
function places(constants) {
  const output = resolve(constants.PUBLISH_DIR);
  const parent = dirname(output);
  const archive = join(parent, ARCHIVE);
  return {
    output,
    parent,
    cache: join(parent, CACHE_FOLDER),
    archive,
    checksum: `${archive}.sha256`,
    name: (path) => relative(process.cwd(), path) || '.',
  };
}

async function sha256(file) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
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

// Puts the saved archive's folders in place; a reason why not, or null when done.
async function unpack(at, utils) {
  let restored;
  try {
    restored = await utils.cache.restore([at.archive, at.checksum]);
  } catch (error) {
    return `Netlify's cache could not give back ${at.name(at.archive)} (${error.message})`;
  }
  if (!restored) return 'none';
  if (!existsSync(at.archive) || !existsSync(at.checksum)) {
    return `Netlify's cache gave back only one of ${at.name(at.archive)} and its checksum`;
  }
  const expected = (await readFile(at.checksum, 'utf8')).trim();
  if ((await sha256(at.archive)) !== expected) {
    return `${at.name(at.archive)} from Netlify's cache is damaged (its SHA-256 is not the one ` +
      'saved with it)';
  }
  try {
    await utils.run('tar', ['--extract', '--file', at.archive, '--directory', at.parent]);
  } catch (error) {
    return `${at.name(at.archive)} from Netlify's cache could not be unpacked ` +
      `(${error.shortMessage ?? error.message})`;
  }
  if (!existsSync(at.output) || !existsSync(at.cache)) {
    return `${at.name(at.archive)} from Netlify's cache lacks ${at.name(at.output)}/ or ` +
      `${at.name(at.cache)}/ (was publish changed?)`;
  }
  return null;
}

export const onPreBuild = async function ({ constants, utils }) {
  const at = places(constants);
  if (existsSync(at.output) || existsSync(at.cache)) {
    // Not a fresh clone (`netlify build` on a computer): what is there is newer than any cache.
    console.log(`nextup-cache: ${at.name(at.output)}/ or ${at.name(at.cache)}/ already exists; ` +
      'kept as it is, nothing restored.');
    return;
  }
  let problem;
  try {
    problem = await unpack(at, utils);
  } finally {
    await rm(at.archive, { force: true });
    await rm(at.checksum, { force: true });
  }
  if (problem === 'none') {
    console.log('nextup-cache: no saved cache (the first deploy, or the cache was cleared): ' +
      'this build is a full one.');
  } else if (problem) {
    // A cache only saves time: build from nothing rather than from part of it.
    await rm(at.output, { recursive: true, force: true });
    await rm(at.cache, { recursive: true, force: true });
    console.warn(`nextup-cache: ${problem}; nothing restored, this build is a full one.`);
  } else {
    console.log(`nextup-cache: restored ${at.name(at.output)}/ (${await describe(at.output)}) ` +
      `and ${at.name(at.cache)}/ (${await describe(at.cache)}) from an earlier deploy. The ` +
      'generator uses them only if the code, templates, packages and site.toml are the same, ' +
      'and per event only for the same file.');
  }
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
    await writeFile(at.checksum, `${await sha256(at.archive)}\n`);
    if (!(await utils.cache.save([at.archive, at.checksum], { move: true }))) {
      throw new Error(`Netlify's cache did not take ${at.name(at.archive)}`);
    }
    console.log(`nextup-cache: saved ${folders.map((f) => `${f}/`).join(' and ')} ` +
      `(${megabytes(size)}) for the next deploy.`);
  } catch (error) {
    // The deploy itself is fine; only the next build will be a full one.
    utils.build.failPlugin('nextup-cache: could not save the cache for the next deploy: ' +
      `${error.shortMessage ?? error.message}`);
  } finally {
    await rm(at.archive, { force: true });
    await rm(at.checksum, { force: true });
  }
};
