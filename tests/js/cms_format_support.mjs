// What tests/js/cms_format.test.mjs needs from outside the format: the catalogue's schema (from
// Python when generator/render/admin.py has cms_schema, else the copy below), Python's own
// reading of a file (tomllib, after Nextup's own front-matter split), and `build.py check`.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, python } from '../browser/support.mjs';

// cms_schema(EVENT) and cms_schema(SESSION) as the lead's catalogue gave them when this was
// written; used only where Python cannot give them.
export const FIXTURE_SCHEMAS = {
  event: {
    order: {
      '': ['title', 'category', 'timezone', 'start', 'duration', 'date', 'end_date', 'days', 'url',
        'project', 'audience', 'rsvp_url', 'image', 'image_alt', 'summary', 'draft',
        'skip_holidays', 'review_by', 'status', 'reason', 'exdates', 'rdates', 'rrule', 'repeat',
        'location', 'overrides'],
      repeat: ['every', 'interval', 'on', 'at', 'until', 'count'],
      location: ['name', 'address', 'locality', 'country', 'geo', 'notes'],
      'overrides[]': ['original', 'start', 'duration', 'title'],
    },
    kinds: {
      start: 'local', duration: 'integer', date: 'local', end_date: 'local', days: 'integer',
      draft: 'boolean', review_by: 'local', 'exdates[]': 'local', 'rdates[]': 'local',
      'repeat.interval': 'integer', 'repeat.on[]': 'integer-or-string', 'repeat.until': 'local',
      'repeat.count': 'integer', 'location.geo[]': 'float', 'overrides[].original': 'local',
      'overrides[].start': 'local', 'overrides[].duration': 'integer',
    },
  },
  session: {
    order: {
      '': ['title', 'host', 'recording', 'url', 'reason', 'status', 'links'],
      'links[]': ['title', 'url'],
    },
    kinds: {},
  },
};

const SCHEMA_SCRIPT = `
import json
try:
    from generator.render.admin import cms_schema
    from generator.content.fields import EVENT, SESSION
except ImportError:
    print("null")
else:
    print(json.dumps({"event": cms_schema(EVENT), "session": cms_schema(SESSION)}))
`;

// { schemas, from: "python" | "fixture" }
export function catalogueSchemas() {
  const given = JSON.parse(execFileSync(python(), ['-c', SCHEMA_SCRIPT], { cwd: ROOT }).toString());
  return given ? { schemas: given, from: 'python' } : { schemas: FIXTURE_SCHEMAS, from: 'fixture' };
}

// Each text as Nextup reads it: split by content/load.py, the TOML by tomllib. Dates come back
// tagged ({ $datetime: "2027-01-05T15:15:00" }, { $date: "2027-01-05" }); a file Python cannot
// read comes back as { error }.
const READ_SCRIPT = `
import datetime, json, sys, tomllib
from generator.content.load import split_front_matter

def tagged(value):
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {key: tagged(item) for key, item in value.items()}
    if isinstance(value, list):
        return [tagged(item) for item in value]
    return value

answers = []
for text in json.load(sys.stdin):
    split = split_front_matter(text.lstrip("\\ufeff").replace("\\r\\n", "\\n"))
    if split is None:
        answers.append({"error": "no front matter"})
        continue
    try:
        answers.append({"data": tagged(tomllib.loads(split[0])), "body": split[1]})
    except tomllib.TOMLDecodeError as error:
        answers.append({"error": str(error)})
print(json.dumps(answers))
`;

export function pythonReads(texts) {
  const output = execFileSync(python(), ['-c', READ_SCRIPT], {
    cwd: ROOT, input: JSON.stringify(texts), maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(output.toString());
}

export function pythonRead(text) {
  return pythonReads([text])[0];
}

// `build.py check` on a content folder: { status, output }.
export function check(content, now) {
  const run = spawnSync(python(), [join(ROOT, 'build.py'), 'check', '--content', content,
    '--now', now], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
