// Independent check of VTIMEZONEs: the UTC offset ical.js (Thunderbird's parser) reads from a
// VTIMEZONE for given wall-clock times, printed as JSON.
//
//   node tests/js/ical_offsets.mjs FILE.ics QUERIES.json
//
// QUERIES.json: {"Europe/London": [[2027, 3, 28, 12, 0, 0], ...], ...} (local wall-clock times,
// months from 1). Output: {"Europe/London": [3600, ...], ...} (seconds east of UTC).
// Only the VTIMEZONEs in FILE.ics are used, as by a client that does not know the zone.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const [file, queriesFile] = process.argv.slice(2);
const root = new ICAL.Component(ICAL.parse(readFileSync(file, 'utf8')));
const zones = new Map();
for (const vtimezone of root.getAllSubcomponents('vtimezone')) {
  const zone = new ICAL.Timezone(vtimezone);
  zones.set(zone.tzid, zone);
}

const queries = JSON.parse(readFileSync(queriesFile, 'utf8'));
const result = {};
for (const [tzid, times] of Object.entries(queries)) {
  const zone = zones.get(tzid);
  if (!zone) throw new Error(`no VTIMEZONE for ${tzid}`);
  result[tzid] = times.map(([year, month, day, hour, minute, second]) => {
    const time = ICAL.Time.fromData({ year, month, day, hour, minute, second, isDate: false },
                                    zone);
    return zone.utcOffset(time);
  });
}
process.stdout.write(JSON.stringify(result) + '\n');
