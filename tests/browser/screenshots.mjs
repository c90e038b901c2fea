// Screenshots of the sample site for a person to look at (not a test):
//   node tests/browser/screenshots.mjs [OUTPUT_DIR]     (default tests/artifacts/screenshots)
// Pages at the narrowest phone (320 CSS px, WCAG's reflow width), a common phone and a desktop
// viewport, light and dark, with the clock at the sample's pinned time.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSite, launch, removeSite, ROOT, SAMPLE_NOW, serve } from './support.mjs';

const output = process.argv[2] || join(ROOT, 'tests', 'artifacts', 'screenshots');
mkdirSync(output, { recursive: true });
const PAGES = { home: '/', events: '/events/', event: '/events/euroasia-scrum/', monthly: '/events/monthly-review/',
  hackathon: '/events/spring-hackathon/', meetup: '/events/leeds-meetup/', hybrid: '/events/town-hall/',
  subscribe: '/subscribe/', my: '/my/', 'calendar-month': '/calendar/2027-03/',
  'calendar-week': '/calendar/2027-W12/', session: '/events/euroasia-scrum/2027-01-14/',
  'session-cancelled': '/events/euroasia-scrum/2027-02-01/', sessions: '/sessions/' };
// My events with three stars; an event that has ended, on a site built after it.
const STARRED = ['monthly-review', 'pair-programming-thursdays', 'spring-hackathon'];
const ENDED = { path: '/events/winter-retrospective/', now: '2027-02-10T12:00:00Z' };
const VIEWPORTS = { 'phone-320': { width: 320, height: 640 }, phone: { width: 375, height: 812 },
  desktop: { width: 1280, height: 900 } };
const MOMENTS = { upcoming: SAMPLE_NOW, soon: '2027-01-20T15:07:00Z', live: '2027-01-20T15:20:00Z' };

const site = buildSite();
const server = await serve(site);
const browser = await launch();
for (const [viewportName, viewport] of Object.entries(VIEWPORTS)) {
  for (const [moment, time] of Object.entries(MOMENTS)) {
    for (const [pageName, path] of Object.entries(PAGES)) {
      if (moment !== 'upcoming' && pageName !== 'home') continue;
      for (const colorScheme of ['light', 'dark']) {
        if (colorScheme === 'dark' && (moment !== 'upcoming' || !['home', 'event', 'hackathon', 'meetup', 'hybrid', 'subscribe', 'my', 'calendar-month', 'calendar-week', 'session', 'sessions'].includes(pageName))) continue;
        const context = await browser.newContext({ viewport, timezoneId: 'Asia/Kolkata', colorScheme,
          deviceScaleFactor: 1 });
        if (pageName === 'my') await context.addInitScript((s) => localStorage.setItem('nextup-starred', s), JSON.stringify(STARRED));
        const page = await context.newPage();
        await page.clock.install({ time: Date.parse(time) - 5000 });
        await page.goto(server.url + path);
        await page.clock.pauseAt(Date.parse(time));
        await page.waitForFunction(() => [...document.querySelectorAll('[data-countdown]')].every((b) => b.dataset.key));
        const file = join(output, `${pageName}-${moment}-${viewportName}${colorScheme === 'dark' ? '-dark' : ''}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(file);
        await context.close();
      }
    }
  }
}
const ended = buildSite({ now: ENDED.now });
const endedServer = await serve(ended);
for (const [viewportName, viewport] of Object.entries(VIEWPORTS)) {
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport, timezoneId: 'Asia/Kolkata', colorScheme, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.clock.install({ time: Date.parse(ENDED.now) - 5000 });
    await page.goto(endedServer.url + ENDED.path);
    await page.clock.pauseAt(Date.parse(ENDED.now));
    await page.waitForFunction(() => [...document.querySelectorAll('[data-countdown]')].every((b) => b.dataset.key));
    const file = join(output, `ended-${viewportName}${colorScheme === 'dark' ? '-dark' : ''}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(file);
    await context.close();
  }
}
endedServer.close();
removeSite(ended);
// Live lists, the paused countdown and a "your time changes" notice (phone and desktop, light
// and dark): [name, path, time, paused].
const EXTRAS = [['home-live-list', '/', '2027-01-20T15:20:00Z', false],
  ['home-paused', '/', '2027-01-20T14:30:00Z', true],
  ['event-time-change', '/events/euroasia-scrum/', '2027-03-10T12:00:00Z', false]];
for (const [name, path, time, paused] of EXTRAS) {
  for (const viewportName of ['phone', 'desktop']) {
    for (const colorScheme of ['light', 'dark']) {
      const context = await browser.newContext({ viewport: VIEWPORTS[viewportName], timezoneId: 'Asia/Kolkata',
        colorScheme, deviceScaleFactor: 1 });
      if (paused) await context.addInitScript(() => localStorage.setItem('nextup.countdown.paused', '1'));
      const page = await context.newPage();
      await page.clock.install({ time: Date.parse(time) - 5000 });
      await page.goto(server.url + path);
      await page.clock.pauseAt(Date.parse(time));
      await page.waitForFunction(() => [...document.querySelectorAll('[data-countdown]')].every((b) => b.dataset.key)
        && [...document.querySelectorAll('[data-time-change]')].every((n) => n.dataset.timeChange));
      const file = join(output, `${name}-${viewportName}${colorScheme === 'dark' ? '-dark' : ''}.png`);
      await page.screenshot({ path: file, fullPage: viewportName === 'phone' });
      console.log(file);
      await context.close();
    }
  }
}
await browser.close();
server.close();
removeSite(site);
