// Independent check: expand an iCalendar file with ical.js (Mozilla Thunderbird's parser) and
// print every occurrence that has not ended at FROM and starts before TO, as JSON, sorted.
//
//   node tests/js/ical_expand.mjs FILE.ics FROM TO
//
// Only VTIMEZONEs in the file are used (as a calendar client that does not know the zone would).
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const [file, fromText, toText] = process.argv.slice(2);
const from = Date.parse(fromText);
const to = Date.parse(toText);
// A moved occurrence can start inside the window although its original slot lies outside.
const SLACK_MS = 400 * 24 * 3600 * 1000;

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
const found = [];
for (const [uid, { master, exceptions }] of byUid) {
  // Pass the event's own exceptions: left to itself, ical.js relates every RECURRENCE-ID
  // VEVENT of the calendar to every event, matching by local time without looking at the UID.
  const event = new ICAL.Event(master, { exceptions });
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    const slot = next.toJSDate().getTime();
    if (slot >= to + SLACK_MS) break;
    const details = event.getOccurrenceDetails(next);
    // A changed occurrence marked cancelled (as Google writes them) is not a meeting.
    if (details.item.component.getFirstPropertyValue('status') === 'CANCELLED') continue;
    const start = details.startDate.toJSDate().getTime();
    const end = details.endDate.toJSDate().getTime();
    if (end > from && start < to) {
      const occurrence = { uid, start: iso(details.startDate), end: iso(details.endDate),
                           summary: details.item.summary };
      // A date (all day) has no instant of its own: its days, the end exclusive (DTEND).
      if (details.startDate.isDate) {
        Object.assign(occurrence, { day: details.startDate.toString(),
                                    end_day: details.endDate.toString() });
      }
      found.push(occurrence);
    }
  }
}
found.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.uid < b.uid ? -1 : 1));
process.stdout.write(JSON.stringify(found) + '\n');
