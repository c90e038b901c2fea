// WCAG 1.4.10 Reflow: at 320 CSS pixels wide no page scrolls sideways, whatever editors write:
// a join link longer than the screen, a 60-letter word in a title and a description, a
// Markdown table of ten columns, a long line of code. A table (or code) may scroll inside its
// own box; the page may not.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { withSampleSite } from './support.mjs';

const NOW = '2027-01-20T12:00:00Z';
const LONG_WORD = 'Internationalisation'.repeat(3); // 60 letters, no break opportunity
const LONG_URL = `https://meet.example.org/rooms/${'HarbourCodeCollectiveWeeklyScrum'.repeat(5)}?pwd=${'x9'.repeat(40)}`;
const TABLE = [
  `| ${Array.from({ length: 10 }, (_, i) => `Column heading ${i + 1}`).join(' | ')} |`,
  `|${' --- |'.repeat(10)}`,
  ...[1, 2, 3].map((row) => `| ${Array.from({ length: 10 }, (_, i) => `cell ${row}.${i + 1} text`).join(' | ')} |`),
].join('\n');

function hostileContent() {
  const content = mkdtempSync(join(tmpdir(), 'nextup-reflow-'));
  mkdirSync(join(content, 'events'));
  writeFileSync(join(content, 'site.toml'), 'title = "Reflow test"\nbase_url = "https://reflow.example.org/"\n');
  writeFileSync(join(content, 'events', 'long-scrum.md'), `+++
title = "Scrum about ${LONG_WORD}"
category = "scrum"
timezone = "Europe/London"
start = 2027-01-04T15:00:00
duration = 30
rrule = "FREQ=WEEKLY;BYDAY=MO,WE,FR"
url = "${LONG_URL}"
project = "${LONG_WORD}"
+++
We talk about ${LONG_WORD} and read ${LONG_URL} together.

${TABLE}

\`\`\`
${'const schedule = expandEveryOccurrenceOfTheSeries(event, window); '.repeat(3)}
\`\`\`
`);
  return content;
}

let content;
let server;
let browser;

withSampleSite(() => ({ content: (content = hostileContent()), now: NOW }),
  (shared) => ({ server, browser } = shared));
after(() => {
  if (content) rmSync(content, { recursive: true, force: true });
});

const PAGES = { 'event page': '/events/long-scrum/', 'events list': '/events/', homepage: '/',
  'calendar month': '/calendar/', 'calendar week': '/calendar/2027-W04/' };

describe('reflow at 320 CSS pixels (WCAG 1.4.10)', () => {
  for (const javaScriptEnabled of [true, false]) {
    for (const [name, path] of Object.entries(PAGES)) {
      test(`the ${name} does not scroll sideways, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async () => {
        const context = await browser.newContext({ viewport: { width: 320, height: 640 },
          timezoneId: 'Asia/Kolkata', javaScriptEnabled });
        const page = await context.newPage();
        await page.clock.install({ time: Date.parse(NOW) });
        await page.goto(server.url + path);
        if (javaScriptEnabled) {
          await page.waitForFunction(() => [...document.querySelectorAll('[data-countdown]')]
            .every((block) => block.dataset.key));
        }
        // The hostile content is on the page (or the test proves nothing).
        assert.ok((await page.content()).includes(LONG_WORD), 'the long word is on the page');
        const widths = await page.evaluate(() => ({
          page: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
          // Whatever sticks out, to say what to fix.
          wide: [...document.querySelectorAll('body *')]
            .filter((element) => element.getBoundingClientRect().right > 320.5
              && !element.closest('table, pre'))
            .map((element) => `${element.tagName.toLowerCase()}.${element.className}`).slice(0, 5),
        }));
        assert.equal(widths.client, 320);
        assert.ok(widths.page <= 320, `scrollWidth ${widths.page}: ${widths.wide.join(', ')}`);
        if (path === PAGES['event page']) {
          // The table is all there, scrolling in its own box.
          const table = await page.locator('.description table').evaluate((element) => ({
            columns: element.querySelectorAll('thead th').length,
            box: element.getBoundingClientRect().right,
            scrolls: element.scrollWidth > element.clientWidth,
          }));
          assert.deepEqual(table.columns, 10);
          assert.ok(table.box <= 320, `table box ends at ${table.box}`);
          assert.ok(table.scrolls, 'the table scrolls inside its box');
        }
        await context.close();
      });
    }
  }
});
