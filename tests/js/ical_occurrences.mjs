// Independent check: what ical.js (Mozilla Thunderbird's parser) tells a calendar app about
// each occurrence of each series in an iCalendar file: expanded from FROM to TO, each with the
// properties of the VEVENT that states it (the series', or its own RECURRENCE-ID one), and every
// RECURRENCE-ID VEVENT as ical.js relates it to its series, cancelled ones too.
//
//   node tests/js/ical_occurrences.mjs FILE.ics FROM TO
//
// Prints {"occurrences": [...], "exceptions": [...]} as JSON.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const [file, fromText, toText] = process.argv.slice(2);
const from = Date.parse(fromText);
const to = Date.parse(toText);

const root = new ICAL.Component(ICAL.parse(readFileSync(file, 'utf8')));
for (const vtimezone of root.getAllSubcomponents('vtimezone')) {
  ICAL.TimezoneService.register(vtimezone);
}
const byUid = new Map();
for (const vevent of root.getAllSubcomponents('vevent')) {
  const uid = vevent.getFirstPropertyValue('uid');
  if (!byUid.has(uid)) byUid.set(uid, { master: null, exceptions: [] });
  if (vevent.hasProperty('recurrence-id')) byUid.get(uid).exceptions.push(vevent);
  else byUid.get(uid).master = vevent;
}

const iso = (time) => time.toJSDate().toISOString().replace('.000Z', 'Z');
const shown = (component) => Object.fromEntries(
  ['summary', 'url', 'location', 'description', 'status', 'sequence']
    .map((name) => [name, component.getFirstPropertyValue(name)]));
const occurrences = [];
const exceptions = [];
for (const [uid, { master, exceptions: own }] of byUid) {
  const event = new ICAL.Event(master, { exceptions: own });
  for (const exception of Object.values(event.exceptions)) {
    exceptions.push({ uid, recurrence_id: iso(exception.recurrenceId),
                      start: iso(exception.startDate), ...shown(exception.component) });
  }
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    if (next.toJSDate().getTime() >= to) break;
    const details = event.getOccurrenceDetails(next);
    if (details.endDate.toJSDate().getTime() <= from) continue;
    occurrences.push({ uid, start: iso(details.startDate), end: iso(details.endDate),
                       ...shown(details.item.component) });
  }
}
process.stdout.write(JSON.stringify({ occurrences, exceptions }) + '\n');
