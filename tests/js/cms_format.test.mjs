// The CMS's file format (static/admin/nextup-format.js): what Decap saves is what Nextup reads,
// and a file keeps its own bytes for everything the editor did not change. Every written text
// is read back by Python's tomllib (after Nextup's own front-matter split), and new entries are
// put through `build.py check`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ROOT, SAMPLE_NOW, python } from '../browser/support.mjs';
import { nextupFormat } from '../../static/admin/nextup-format.js';
import { catalogueSchemas, check, pythonRead, pythonReads } from './cms_format_support.mjs';

const { schemas, from: schemaFrom } = catalogueSchemas();
const events = nextupFormat(schemas.event);
const sessions = nextupFormat(schemas.session);

function markdownFiles(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  }).sort();
}

const SAMPLES = [
  ...markdownFiles(join(ROOT, 'content', 'events')).map((path) => ({ path, format: events, kind: 'event' })),
  ...markdownFiles(join(ROOT, 'content', 'sessions')).map((path) => ({ path, format: sessions, kind: 'session' })),
].map((sample) => ({ ...sample, name: relative(ROOT, sample.path), text: readFileSync(sample.path, 'utf8') }));

function sample(name) {
  const found = SAMPLES.find((s) => s.name === name);
  assert.ok(found, `no sample ${name}`);
  return found;
}

// Decap holds an entry as plain JSON-like data (Immutable's toJS): no Dates, no prototypes.
function opened(format, text) {
  return JSON.parse(JSON.stringify(format.fromFile(text)));
}

function edited(name, change) {
  const { format, text } = sample(name);
  const data = opened(format, text);
  change(data);
  return { before: text, after: format.toFile(data) };
}

// The lines that differ between two texts of the same number of lines.
function changedLines(before, after) {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(b.length, a.length, `line count changed:\n${after}`);
  return a.flatMap((line, index) => (line === b[index] ? [] : [{ index, before: line, after: b[index] }]));
}

function withoutLines(text, ...lines) {
  const all = text.split('\n');
  for (const line of lines) assert.ok(all.includes(line), `no line ${line}`);
  return all.filter((line) => !lines.includes(line)).join('\n');
}

// A quoted date or date-time: what Decap's own TOML format writes and Nextup rejects.
const QUOTED_DATE = /"\d{4}-\d{2}-\d{2}(T[^"]*)?"/;

test(`the schema comes from the catalogue when it can (here: ${schemaFrom})`, () => {
  for (const schema of Object.values(schemas)) {
    assert.ok(Array.isArray(schema.order['']) && schema.order[''].length > 0);
    assert.equal(typeof schema.kinds, 'object');
  }
  assert.equal(schemas.event.kinds.start, 'local');
});

test('the vendored smol-toml is the release package.json pins, byte for byte', () => {
  const pinned = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies['smol-toml'];
  const installed = join(ROOT, 'node_modules', 'smol-toml');
  assert.equal(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version, pinned,
    'node_modules/smol-toml is not the pinned version: run npm ci');
  const vendored = join(ROOT, 'static', 'admin', 'vendor', 'smol-toml');
  const wanted = [...readdirSync(join(installed, 'dist')).filter((name) => name.endsWith('.js')), 'LICENSE'].sort();
  assert.deepEqual(readdirSync(vendored).sort(), wanted);
  for (const name of wanted) {
    const original = join(installed, name === 'LICENSE' ? name : join('dist', name));
    assert.ok(readFileSync(join(vendored, name)).equals(readFileSync(original)), `${name} differs from smol-toml ${pinned}`);
  }
});

test('the format is browser modules: no Node APIs, nothing imported but its own files', () => {
  const folder = join(ROOT, 'static', 'admin');
  const imports = {};
  for (const name of ['nextup-format.js', 'nextup-layout.js']) {
    const source = readFileSync(join(folder, name), 'utf8');
    imports[name] = [...source.matchAll(/^\s*import\b[^;]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    for (const nodeOnly of [/\brequire\s*\(/, /\bprocess\./, /\bBuffer\b/, /['"]node:/, /\bimport\s*\(\s*['"`]/]) {
      assert.ok(!nodeOnly.test(source), `${name} has ${nodeOnly}`);
    }
  }
  assert.deepEqual(imports, {
    'nextup-format.js': ['./vendor/smol-toml/index.js', './nextup-layout.js'],
    'nextup-layout.js': [],
  });
});

test('every sample file is written back byte for byte when nothing changed', () => {
  assert.ok(SAMPLES.length >= 15, 'the sample content is missing');
  for (const { name, format, text } of SAMPLES) {
    assert.equal(format.toFile(opened(format, text)), text, name);
  }
});

test('fromFile gives dates as the picker\'s text, tables as objects, the Markdown as body', () => {
  const all = pythonReads(SAMPLES.map((s) => s.text));
  SAMPLES.forEach(({ name, format, text }, index) => {
    const data = opened(format, text);
    assert.equal(data.__source, text, name);
    assert.equal(data.body, all[index].body, name);
    const { body, __source, ...fields } = data;
    // Python's reading, with its dates written as Decap's date-time widget holds them.
    const untag = (value) => {
      if (Array.isArray(value)) return value.map(untag);
      if (value && typeof value === 'object') {
        if ('$datetime' in value) return value.$datetime;
        if ('$date' in value) return value.$date;
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, untag(v)]));
      }
      return value;
    };
    assert.deepEqual(fields, untag(all[index].data), name);
  });
  const euroasia = opened(events, sample('content/events/euroasia-scrum.md').text);
  assert.equal(euroasia.start, '2014-03-03T07:00:00');
  assert.deepEqual(euroasia.exdates, ['2027-03-25T07:00:00']);
  assert.equal(opened(events, sample('content/events/monthly-review.md').text).review_by, '2027-12-31');
});

test('what Decap adds to an entry it did not change leaves the file as it was', () => {
  for (const { name, format, kind, text } of SAMPLES) {
    const data = opened(format, text);
    // Cleared or untouched widgets: empty strings, empty lists and objects, a switch left off.
    for (const key of schemas[kind].order['']) if (!(key in data)) data[key] = '';
    if (kind === 'event') {
      if (!('draft' in data) || data.draft === '') data.draft = false;
      if (data.location === '') data.location = { name: '', address: [], geo: [] };
      if (data.exdates === '') data.exdates = [];
      if (data.repeat && typeof data.repeat === 'object') {
        data.repeat.until ??= '';
        if (data.repeat.interval !== undefined) data.repeat.interval = String(data.repeat.interval);
      }
      if (typeof data.duration === 'number') data.duration = String(data.duration);
      if (data.location?.geo?.length) data.location.geo = data.location.geo.map(String);
    } else {
      // A session's CMS-only fields, which name a new record's file.
      data.event = '';
      data.date = '';
      // The list widget holds one host as a list of one.
      if (typeof data.host === 'string') data.host = [data.host];
    }
    assert.equal(format.toFile(data), text, name);
    // Nor does the order Decap holds the fields in.
    assert.equal(format.toFile(Object.fromEntries(Object.entries(data).reverse())), text, name);
  }
});

test('changing one field rewrites only its line, and Python reads every other value as before', () => {
  const cases = [];
  for (const { name, format, text } of SAMPLES) {
    const data = opened(format, text);
    for (const [key, value] of Object.entries(data)) {
      if (key === 'body' || key === '__source') continue;
      let changed;
      let expected;
      if (typeof value === 'number') { changed = String(value + 5); expected = value + 5; }
      else if (typeof value === 'boolean') { changed = !value; expected = !value; }
      else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
        changed = `${value.slice(0, 11)}23:45:00`;
        expected = { $datetime: changed };
      } else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
        changed = '2031-02-03';
        expected = { $date: changed };
      } else if (typeof value === 'string') { changed = `${value} (moved "here")`; expected = changed; }
      else continue;
      const after = format.toFile({ ...data, [key]: changed });
      const lines = changedLines(text, after);
      assert.equal(lines.length, 1, `${name}: ${key}\n${after}`);
      assert.match(lines[0].before, new RegExp(`^${key}\\s*=`), `${name}: ${key}`);
      // The line's own comment stays.
      const comment = lines[0].before.match(/\s+#.*$/);
      if (comment) assert.ok(lines[0].after.endsWith(comment[0]), `${name}: ${key}`);
      cases.push({ name, key, expected, before: text, after });
    }
  }
  assert.ok(cases.length > 60, `only ${cases.length} changes tried`);
  const read = pythonReads(cases.flatMap((c) => [c.before, c.after]));
  cases.forEach(({ name, key, expected }, index) => {
    const [before, after] = [read[2 * index], read[2 * index + 1]];
    assert.ok(after.data, `${name} ${key}: ${after.error}`);
    assert.deepEqual(after.data, { ...before.data, [key]: expected }, `${name}: ${key}`);
    assert.equal(after.body, before.body);
  });
});

test('a changed field inside a table rewrites only that line', () => {
  const changes = [
    ['content/events/charity-client-checkin.md', (d) => { d.repeat.interval = '3'; }, 'interval = 3'],
    ['content/events/charity-client-checkin.md', (d) => { d.repeat.until = '2027-09-24'; }, 'until = 2027-09-24'],
    ['content/events/leeds-meetup.md', (d) => { d.location.name = 'Room 4'; }, 'name = "Room 4"'],
    ['content/events/leeds-meetup.md', (d) => { d.location.geo = ['53.8', '-1.5']; }, 'geo = [53.8, -1.5]'],
    ['content/events/town-hall.md', (d) => { d.repeat.on = ['first sat']; }, 'on = ["first sat"]'],
    ['content/events/atlantic-scrum.md', (d) => { d.overrides[0].start = '2027-03-30T17:00:00'; }, 'start = 2027-03-30T17:00:00'],
    ['content/sessions/monthly-review/2027-01-12.md', (d) => { d.links[1].title = 'Roadmap'; }, 'title = "Roadmap"'],
  ];
  for (const [name, change, line] of changes) {
    const { before, after } = edited(name, change);
    const lines = changedLines(before, after);
    assert.equal(lines.length, 1, `${name}\n${after}`);
    assert.equal(lines[0].after, line, name);
  }
});

test('a field added goes after the nearest field before it in the catalogue\'s order', () => {
  let { before, after } = edited('content/events/euroasia-scrum.md', (d) => { d.summary = 'Daily.'; });
  assert.equal(after, before.replace('project = "websiteone"\n', 'project = "websiteone"\nsummary = "Daily."\n'));
  // Two at once: each after the one before it, whichever the editor filled first.
  ({ before, after } = edited('content/events/winter-retrospective.md', (d) => {
    d.exdates = ['2027-03-05T17:00:00'];
    d.project = 'websiteone';
  }));
  assert.equal(after, before.replace('url = "https://meet.jit.si/HarbourCode_Retro"\n',
    'url = "https://meet.jit.si/HarbourCode_Retro"\nproject = "websiteone"\n')
    .replace('audience = "All members"\n', 'audience = "All members"\nexdates = [2027-03-05T17:00:00]\n'));
  ({ before, after } = edited('content/events/americas-scrum.md', (d) => { d.repeat.until = '2027-12-31'; }));
  assert.equal(after, before.replace('"fri"]\n', '"fri"]\nuntil = 2027-12-31\n'));
  // Nothing before it in the order: before the first field.
  ({ before, after } = edited('content/sessions/euroasia-scrum/2027-02-01.md', (d) => { d.title = 'Off'; }));
  assert.equal(after, before.replace('+++\n', '+++\ntitle = "Off"\n'));
});

test('a removed field loses its line; the comments above it stay', () => {
  let { before, after } = edited('content/events/monthly-review.md', (d) => { d.rdates = []; });
  assert.equal(after, withoutLines(before, 'rdates = [2027-03-30T18:00:00]        # an extra review before the spring release'));
  ({ before, after } = edited('content/events/euroasia-scrum.md', (d) => { d.exdates = ['']; d.skip_holidays = ''; }));
  assert.equal(after, withoutLines(before, 'exdates = [2027-03-25T07:00:00]', 'skip_holidays = "GB-ENG"'));
  assert.match(after, /# No scrum on the Thursday before Easter 2027/);
  ({ before, after } = edited('content/events/leeds-meetup.md', (d) => { d.location.geo = []; }));
  assert.equal(after, withoutLines(before, 'geo = [53.8004, -1.5487]'));
});

test('a removed table goes with the comment above it, and leaves no blank line behind', () => {
  let { before, after } = edited('content/events/atlantic-scrum.md', (d) => { d.overrides = []; });
  const start = before.indexOf('\n\n# The Tuesday');
  assert.equal(after, before.slice(0, start + 1) + before.slice(before.indexOf('+++\nAn afternoon')));
  ({ before, after } = edited('content/events/leeds-meetup.md', (d) => { delete d.repeat; }));
  assert.equal(after, before.replace('[repeat]\nevery = "month"\non = ["first thu"]\n\n', ''));
  assert.equal(pythonRead(after).data.location.name, 'Leeds Central Library, Room 3');
});

test('a table added goes among the tables in the catalogue\'s order, set off by blank lines', () => {
  let { before, after } = edited('content/events/atlantic-scrum.md', (d) => {
    d.location = { name: 'Engine Shed', address: ['Station Approach'], geo: ['51.449', '-2.581'], notes: '' };
  });
  assert.equal(after, before.replace('\n# The Tuesday', '\n[location]\nname = "Engine Shed"\n'
    + 'address = ["Station Approach"]\ngeo = [51.449, -2.581]\n\n# The Tuesday'));
  ({ before, after } = edited('content/events/winter-retrospective.md', (d) => {
    d.repeat = { every: 'month', on: ['first fri'], interval: '', until: '' };
  }));
  assert.equal(after, before.replace('audience = "All members"\n',
    'audience = "All members"\n\n[repeat]\nevery = "month"\non = ["first fri"]\n'));
  ({ before, after } = edited('content/events/leeds-meetup.md', (d) => {
    d.overrides = [{ original: '2027-01-07T18:30:00', start: '2027-01-14T18:30:00', duration: '', title: '' }];
  }));
  assert.equal(after, before.replace('\n+++\n', '\n\n[[overrides]]\noriginal = 2027-01-07T18:30:00\n'
    + 'start = 2027-01-14T18:30:00\n+++\n'));
});

test('a list of tables: one added, one removed, one changed, the others kept as they were', () => {
  let { before, after } = edited('content/events/pair-programming-thursdays.md', (d) => {
    d.overrides.push({ original: '2027-03-04T18:00:00', duration: '120', start: '', title: 'Long one' });
  });
  assert.equal(after, before.replace('start = 2027-02-03T18:00:00\n', 'start = 2027-02-03T18:00:00\n\n'
    + '[[overrides]]\noriginal = 2027-03-04T18:00:00\nduration = 120\ntitle = "Long one"\n'));
  // The first of two removed: the second keeps its bytes.
  ({ before, after } = edited('content/sessions/monthly-review/2027-01-12.md', (d) => { d.links.shift(); }));
  assert.equal(after, before.replace('[[links]]\ntitle = "Slides"\nurl = "https://slides.example.org/harbour-code/2027-01-review"\n\n', ''));
  // A new first one, before those the file has.
  ({ before, after } = edited('content/sessions/town-hall/2026-12-12.md', (d) => {
    d.links.unshift({ title: 'Agenda', url: 'https://example.org/agenda' });
  }));
  assert.equal(after, before.replace('[[links]]\n', '[[links]]\ntitle = "Agenda"\nurl = "https://example.org/agenda"\n\n[[links]]\n'));
  assert.deepEqual(pythonRead(after).data.links.map((link) => link.title), ['Agenda', 'Minutes']);
});

test('removing the middle one of three tables takes its comment, and keeps the others\' bytes', () => {
  const override = (day, note) => `# ${note}\n[[overrides]]\noriginal = 2027-01-${day}T10:00:00\nduration = 45\n`;
  const text = `+++\ntitle = "T"\nstart = 2027-01-04T10:00:00\nduration = 30\nrrule = "FREQ=WEEKLY"\n\n`
    + `${override('11', 'first')}\n${override('18', 'second')}\n${override('25', 'third')}+++\n`;
  const data = opened(events, text);
  data.overrides.splice(1, 1);
  assert.equal(events.toFile(data), text.replace(`${override('18', 'second')}\n`, ''));
  // One removed and one changed: the changed one keeps its place and comment.
  const again = opened(events, text);
  again.overrides = [again.overrides[0], { ...again.overrides[2], duration: '50' }];
  assert.equal(events.toFile(again), text.replace(`${override('18', 'second')}\n`, '')
    .replace('25T10:00:00\nduration = 45', '25T10:00:00\nduration = 50'));
});

test('any edit of a list of tables is read back by Python exactly as the editor left it', () => {
  // A small seeded generator: the same cases on every run.
  let seed = 15;
  const random = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const link = (k) => ({ title: `Link ${k}`, url: `https://example.org/${k}` });
  const text = `+++\ntitle = "T"\n\n# the slides\n[[links]]\ntitle = "Link 0"\nurl = "https://example.org/0"\n\n`
    + '[[links]]\ntitle = "Link 1"   # the notes\nurl = "https://example.org/1"\n\n'
    + '# last\n[[links]]\ntitle = "Link 2"\nurl = "https://example.org/2"\n+++\nNotes.\n';
  const cases = [];
  for (let round = 0; round < 150; round += 1) {
    const data = opened(sessions, text);
    for (let step = 0; step < 1 + random(3); step += 1) {
      const links = data.links;
      const at = links.length ? random(links.length) : 0;
      const what = random(5);
      if (what === 0 && links.length) links.splice(at, 1);
      else if (what === 1) links.splice(random(links.length + 1), 0, link(10 + round));
      else if (what === 2 && links.length) links[at].title = `Changed ${round}`;
      else if (what === 3 && links.length > 1) links.push(links.splice(at, 1)[0]);
      else if (links.length) links[at] = { title: '', url: '' };
    }
    // Cleared fields left out, and tables left with none.
    const expected = data.links.map((l) => Object.fromEntries(Object.entries(l).filter(([, v]) => v !== '')))
      .filter((l) => Object.keys(l).length);
    cases.push({ expected, after: sessions.toFile(data) });
  }
  const read = pythonReads(cases.map((c) => c.after));
  cases.forEach(({ expected, after }, index) => {
    assert.ok(read[index].data, `${read[index].error}\n${after}`);
    assert.deepEqual(read[index].data.links ?? [], expected, after);
    assert.equal(read[index].body, 'Notes.');
  });
});

test('the body: a changed one replaces only the Markdown; the front matter keeps its bytes', () => {
  const { before, after } = edited('content/sessions/euroasia-scrum/2027-01-14.md', (d) => { d.body = 'Short notes.'; });
  assert.equal(after, `${before.slice(0, before.lastIndexOf('+++\n') + 4)}Short notes.\n`);
  const cleared = edited('content/sessions/euroasia-scrum/2027-01-14.md', (d) => { d.body = ''; });
  assert.equal(cleared.after, before.slice(0, before.lastIndexOf('+++\n') + 4));
  // Decap's editor may drop the last line break, or add one: the same Markdown.
  const same = edited('content/sessions/euroasia-scrum/2027-01-14.md', (d) => { d.body = `\n${d.body}\n\n`; });
  assert.equal(same.after, before);
});

test('a file with Windows line ends and a byte order mark keeps both', () => {
  const text = `\uFEFF${sample('content/events/atlantic-scrum.md').text.replace(/\n/g, '\r\n')}`;
  const data = opened(events, text);
  assert.equal(data.duration, 25);
  assert.equal(events.toFile(data), text);
  const after = events.toFile({ ...data, duration: 40 });
  assert.equal(after, text.replace('duration = 25\r\n', 'duration = 40\r\n'));
});

test('a new event is written in Nextup\'s layout, and build.py check accepts it', (t) => {
  const content = join(mkdtempSync(join(tmpdir(), 'nextup-cms-format-')), 'content');
  t.after(() => rmSync(join(content, '..'), { recursive: true, force: true }));
  cpSync(join(ROOT, 'content'), content, { recursive: true });
  // As Decap sends a new entry: every widget's value, the cleared ones empty.
  const blank = Object.fromEntries(schemas.event.order[''].map((key) => [key, '']));
  const entries = {
    'weekly-pairing': {
      ...blank, title: 'Weekly "Pairing" \\ Night', category: 'pair-programming',
      timezone: 'Europe/Berlin', start: '2027-02-02T18:30:00', duration: '90', draft: false,
      exdates: ['2027-02-16T18:30:00', ''], url: 'https://meet.jit.si/Pairing',
      repeat: { every: 'week', interval: '', on: ['tue', 'thu'], at: [], until: '2027-06-30', count: '' },
      location: { name: '', address: [], locality: '', country: '', geo: [], notes: '' },
      overrides: [{ original: '2027-03-02T18:30:00', start: '2027-03-02T19:00:00', duration: '60', title: '' }],
      body: 'Bring a laptop.\n\n- Tuesdays and Thursdays\n',
    },
    'monthly-walk': {
      ...blank, title: 'Monthly walk', category: 'meeting', timezone: 'Europe/London',
      start: '2027-02-13T10:00:00.000Z', duration: 120, draft: true,
      repeat: { every: 'month', on: ['15'] },
      location: { name: 'Park gate', address: ['Queen Street'], locality: 'Leeds', country: 'GB',
        geo: ['53.8', '-1.55'], notes: 'By the café' },
      body: '',
    },
    'spring-fair': {
      ...blank, title: 'Spring fair', category: 'meeting', timezone: 'Europe/London',
      date: '2027-04-10', end_date: '2027-04-11', review_by: '2027-12-31', body: 'Two days.',
    },
  };
  const texts = {};
  for (const [slug, entry] of Object.entries(entries)) {
    const text = events.toFile(entry);
    texts[slug] = text;
    assert.doesNotMatch(text, QUOTED_DATE, slug);
    assert.ok(text.startsWith('+++\ntitle = '), slug);
    // Every field before the first table, in the catalogue's order; then the tables, in it too.
    const toml = text.slice(4, text.indexOf('\n+++\n'));
    const firstTable = toml.search(/^\[/m);
    const topKeys = [...toml.slice(0, firstTable < 0 ? undefined : firstTable).matchAll(/^(\w+) =/gm)].map((m) => m[1]);
    const tableKeys = [...toml.matchAll(/^\[\[?(\w+)\]/gm)].map((m) => m[1]);
    const data = pythonRead(text).data;
    const isTable = (value) => typeof value === 'object' && !Array.isArray(value) && !('$date' in value || '$datetime' in value);
    assert.deepEqual(topKeys, Object.keys(data).filter((key) => !isTable(data[key]) && !(Array.isArray(data[key]) && isTable(data[key][0]))), slug);
    const order = schemas.event.order[''];
    const inOrder = (keys) => [...keys].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    assert.deepEqual(topKeys, inOrder(topKeys), slug);
    assert.deepEqual(tableKeys, inOrder(tableKeys), slug);
    writeFileSync(join(content, 'events', `${slug}.md`), text);
  }
  const result = check(content, SAMPLE_NOW);
  assert.equal(result.status, 0, result.output);
  for (const slug of Object.keys(entries)) assert.doesNotMatch(result.output, new RegExp(`${slug}\\.md`), result.output);

  const weekly = pythonRead(texts['weekly-pairing']);
  assert.deepEqual(weekly.data, {
    title: 'Weekly "Pairing" \\ Night', category: 'pair-programming', timezone: 'Europe/Berlin',
    start: { $datetime: '2027-02-02T18:30:00' }, duration: 90, url: 'https://meet.jit.si/Pairing',
    exdates: [{ $datetime: '2027-02-16T18:30:00' }],
    repeat: { every: 'week', on: ['tue', 'thu'], until: { $date: '2027-06-30' } },
    overrides: [{ original: { $datetime: '2027-03-02T18:30:00' }, start: { $datetime: '2027-03-02T19:00:00' }, duration: 60 }],
  });
  assert.equal(weekly.body, 'Bring a laptop.\n\n- Tuesdays and Thursdays');
  const walk = pythonRead(texts['monthly-walk']);
  assert.deepEqual(walk.data.start, { $datetime: '2027-02-13T10:00:00' });
  assert.equal(walk.data.draft, true);
  assert.deepEqual(walk.data.repeat.on, [15]);
  assert.deepEqual(walk.data.location.geo, [53.8, -1.55]);
  assert.equal(pythonRead(texts['spring-fair']).data.end_date.$date, '2027-04-11');
});

test('a new session record is written without the CMS\'s own fields, and check accepts it', (t) => {
  const content = join(mkdtempSync(join(tmpdir(), 'nextup-cms-format-')), 'content');
  t.after(() => rmSync(join(content, '..'), { recursive: true, force: true }));
  cpSync(join(ROOT, 'content'), content, { recursive: true });
  const text = sessions.toFile({
    event: 'euroasia-scrum', date: '2027-01-19', title: 'Sprint 42, day two', host: ['Ana Lima', ''],
    recording: '', url: '', reason: '', status: '',
    links: [{ title: 'Board', url: 'https://github.com/orgs/harbour-code/projects/3' }, { title: '', url: '' }],
    body: 'Notes.',
  });
  assert.equal(text, '+++\ntitle = "Sprint 42, day two"\nhost = ["Ana Lima"]\n\n[[links]]\ntitle = "Board"\n'
    + 'url = "https://github.com/orgs/harbour-code/projects/3"\n+++\nNotes.\n');
  mkdirSync(join(content, 'sessions', 'euroasia-scrum'), { recursive: true });
  writeFileSync(join(content, 'sessions', 'euroasia-scrum', '2027-01-19.md'), text);
  const result = check(content, SAMPLE_NOW);
  assert.equal(result.status, 0, result.output);
  assert.doesNotMatch(result.output, /2027-01-19\.md/, result.output);
});

test('a file from build.py new keeps every note when edited in the CMS, and still passes check', (t) => {
  const content = join(mkdtempSync(join(tmpdir(), 'nextup-cms-format-')), 'content');
  t.after(() => rmSync(join(content, '..'), { recursive: true, force: true }));
  cpSync(join(ROOT, 'content'), content, { recursive: true });
  const made = spawnSync(python(), [join(ROOT, 'build.py'), 'new', 'Evening Review', '--content', content,
    '--now', SAMPLE_NOW], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const path = join(content, 'events', 'evening-review.md');
  const text = readFileSync(path, 'utf8');
  const data = opened(events, text);
  assert.equal(events.toFile(data), text);
  const start = data.start;
  data.start = `${start.slice(0, 11)}18:00:00`;
  // Two weeks after the first meeting, which the weekly repeat `new` writes has.
  const twoWeeks = new Date(Date.parse(`${start.slice(0, 10)}T00:00:00Z`) + 14 * 86400e3);
  data.exdates = [`${twoWeeks.toISOString().slice(0, 10)}T18:00:00`];
  data.repeat.until = '2027-12-31';
  data.location = { name: 'Hall 2', address: ['1 Station Road'], locality: 'Leeds', country: 'GB', geo: [], notes: '' };
  const threeWeeks = new Date(twoWeeks.getTime() + 7 * 86400e3).toISOString().slice(0, 10);
  data.overrides = [{ original: `${threeWeeks}T18:00:00`, start: '', duration: '90', title: '' }];
  data.draft = true;
  const after = events.toFile(data);
  // Every line the file had is still there, in the same order, except the two changed ones.
  const kept = text.split('\n').filter((line) => !/^(start|draft) = /.test(line));
  const lines = after.split('\n');
  let at = 0;
  for (const line of kept) {
    at = lines.indexOf(line, at);
    assert.ok(at >= 0, `lost: ${line}\n${after}`);
    at += 1;
  }
  assert.match(after, /^start = \d{4}-\d{2}-\d{2}T18:00:00$/m);
  assert.match(after, /^draft = true$/m);
  writeFileSync(path, after);
  const result = check(content, SAMPLE_NOW);
  assert.equal(result.status, 0, result.output);
  assert.doesNotMatch(result.output, /evening-review/, result.output);
});

test('values as Decap sends them are written as Nextup means them', () => {
  const write = (fields) => pythonRead(events.toFile({ title: 'T', ...fields })).data;
  // Numbers from number widgets in lists come as text; a switch as "true".
  assert.deepEqual(write({ duration: '45', draft: 'true', days: ' 2 ' }), { title: 'T', duration: 45, draft: true, days: 2 });
  assert.deepEqual(write({ repeat: { on: ['15', 'last fri', 1], interval: 2 } }).repeat, { interval: 2, on: [15, 'last fri', 1] });
  assert.deepEqual(write({ location: { geo: [53, '-1'] } }).location, { geo: [53.0, -1.0] });
  assert.match(events.toFile({ location: { geo: [53, '-1'] } }), /^geo = \[53\.0, -1\.0\]$/m);
  // Date-times: the picker's text, with UTC's "Z" dropped (picker_utc: it is the wall clock),
  // seconds added where the picker gave none, a Date object read by its UTC fields.
  assert.deepEqual(write({ start: '2027-01-05T15:15:00.000Z' }).start, { $datetime: '2027-01-05T15:15:00' });
  assert.deepEqual(write({ start: '2027-01-05T15:15' }).start, { $datetime: '2027-01-05T15:15:00' });
  assert.deepEqual(write({ start: new Date(Date.UTC(2027, 0, 5, 9, 5)) }).start, { $datetime: '2027-01-05T09:05:00' });
  assert.deepEqual(write({ exdates: ['2027-01-12', '2027-01-19T07:00:00'] }).exdates,
    [{ $date: '2027-01-12' }, { $datetime: '2027-01-19T07:00:00' }]);
  // Not a local date-time (no such day, another zone's offset): kept as text, for check to report.
  assert.deepEqual(write({ start: '2027-02-30T10:00:00', review_by: '2027-01-05T10:00:00+02:00' }),
    { title: 'T', start: '2027-02-30T10:00:00', review_by: '2027-01-05T10:00:00+02:00' });
  // Cleared fields are left out: a date-time cleared to "", empty lists, an empty table.
  assert.deepEqual(write({ start: '', exdates: [''], url: '', repeat: { on: [], until: '' }, draft: false }), { title: 'T' });
  assert.equal(events.toFile({ title: 'T', body: '' }), '+++\ntitle = "T"\n+++\n');
});

test('strings are written as TOML basic strings and read back as they were', () => {
  const strange = ['say "hi" \\o/', 'two\nlines\r\nand\ttab', 'bell\u0007 nul\u0000 del\u007f esc\u001b',
    'Zürich 日本語 🚀', '#not a comment', "it's", '\\u0041 literally', '"""'];
  const text = events.toFile({ title: 'T', summary: strange.join('|'), reason: strange.at(-1) });
  assert.match(text, /\\u0007/);
  assert.match(text, /\\u007F/);
  assert.match(text, /\\n/);
  assert.doesNotMatch(text.split('\n').slice(1, -2).join('\n'), /[\u0000-\u0008\u000b-\u001f\u007f]/);
  const data = pythonRead(text).data;
  assert.equal(data.summary, strange.join('|'));
  assert.equal(data.reason, '"""');
  // And through the format's own reader.
  assert.equal(events.fromFile(text).summary, strange.join('|'));
});

test('keys the catalogue does not know are kept as the file has them', () => {
  const text = '+++\ntitle = "T"\ncolour = "red"   # not Nextup\'s\nseen = 2027-01-01T10:00:00\n'
    + 'duration = 30\n\n[extra]\nwhen = 2027-01-02\n+++\n';
  const data = opened(events, text);
  assert.equal(events.toFile(data), text);
  const after = events.toFile({ ...data, duration: 45, summary: 'S' });
  assert.equal(after, text.replace('duration = 30\n', 'duration = 45\nsummary = "S"\n'));
  // Rewritten whole (a change the in-place editor does not make), still bare dates.
  const rewritten = events.toFile({ ...data, extra: { when: '2027-01-03' } });
  assert.deepEqual(pythonRead(rewritten).data.extra, { when: { $date: '2027-01-03' } });
  assert.deepEqual(pythonRead(rewritten).data.seen, { $datetime: '2027-01-01T10:00:00' });
});

test('multi-line lists and their comments are kept until the list itself changes', () => {
  const text = '+++\ntitle = "T"\nduration = 30\nexdates = [\n  2027-01-05T10:00:00,  # snow\n'
    + '  2027-01-12T10:00:00,\n]\nurl = "https://example.org/a"\n+++\n';
  const data = opened(events, text);
  assert.deepEqual(data.exdates, ['2027-01-05T10:00:00', '2027-01-12T10:00:00']);
  assert.equal(events.toFile({ ...data, duration: '45' }), text.replace('duration = 30', 'duration = 45'));
  const after = events.toFile({ ...data, exdates: ['2027-01-05T10:00:00'] });
  assert.equal(after, '+++\ntitle = "T"\nduration = 30\nexdates = [2027-01-05T10:00:00]\n'
    + 'url = "https://example.org/a"\n+++\n');
});

test('a layout the in-place editor does not take apart is written anew, correctly', () => {
  const text = '+++\ntitle = "T"\nduration = 30\nrepeat.every = "week"\nrepeat.on = ["mon"]\n+++\nBody.\n';
  const data = opened(events, text);
  assert.equal(events.toFile(data), text);
  const after = events.toFile({ ...data, duration: 40 });
  assert.equal(after, '+++\ntitle = "T"\nduration = 40\n\n[repeat]\nevery = "week"\non = ["mon"]\n+++\nBody.\n');
});

test('a file whose settings cannot be read is never written over', () => {
  for (const text of ['+++\ntitle = "T\n+++\nBody\n', 'no front matter\n', '+++\ntitle = "T"\n']) {
    const data = opened(events, text);
    assert.equal(data.__source, text);
    assert.throws(() => events.toFile({ ...data, title: 'New' }), /Fix it in the repository/);
  }
});
