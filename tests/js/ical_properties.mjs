// Independent check: read an iCalendar file with ical.js (Mozilla Thunderbird's parser) and
// print, per VEVENT, the properties a calendar app shows about where it happens, as JSON.
//
//   node tests/js/ical_properties.mjs FILE.ics
//
// GEO comes back as ical.js reads it: [latitude, longitude], numbers.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const [file] = process.argv.slice(2);
const root = new ICAL.Component(ICAL.parse(readFileSync(file, 'utf8')));
const found = root.getAllSubcomponents('vevent').map((vevent) => ({
  uid: vevent.getFirstPropertyValue('uid'),
  recurrence: vevent.hasProperty('recurrence-id'),
  location: vevent.getFirstPropertyValue('location'),
  geo: vevent.getFirstPropertyValue('geo'),
  url: vevent.getFirstPropertyValue('url'),
  description: vevent.getFirstPropertyValue('description'),
}));
process.stdout.write(JSON.stringify(found) + '\n');
