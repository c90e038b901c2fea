// The scripts in the site's language (render/browser_language.py, issue 16), in headless Chromium:
// the sample built with language = "pt-BR" and "ar-EG", at 2027-01-20T12:00:00Z with the fake
// clock. The countdown and the local times speak the language, in its digits; Arabic pages lay
// out right to left. The words come from the catalogues (locale/<lang>/LC_MESSAGES/messages.po),
// which are merged separately: without them these tests are skipped.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ROOT, withSampleSite } from './support.mjs';

const NOW = '2027-01-20T12:00:00Z';
const ASCII_DIGIT = /[0-9]/;
const ARABIC_DIGITS = /[٠-٩]/;

// The sample's content with `language = "<tag>"` first in site.toml.
function contentIn(tag) {
  const content = join(mkdtempSync(join(tmpdir(), 'nextup-language-')), 'content');
  cpSync(join(ROOT, 'content'), content, { recursive: true });
  const toml = join(content, 'site.toml');
  writeFileSync(toml, `language = "${tag}"\n${readFileSync(toml, 'utf8')}`);
  return content;
}

for (const [tag, catalogue] of [['pt-BR', 'pt_BR'], ['ar-EG', 'ar']]) {
  const missing = !existsSync(join(ROOT, 'locale', catalogue, 'LC_MESSAGES', 'messages.po'));
  describe(`the scripts in ${tag}`, { skip: missing && `no locale/${catalogue} catalogue yet` }, () => {
    let content;
    let server;
    let browser;
    withSampleSite(() => ({ content: (content = contentIn(tag)) }),
      (shared) => ({ server, browser } = shared));
    after(() => {
      if (content) rmSync(join(content, '..'), { recursive: true, force: true });
    });

    const open = async (path, block) => {
      const context = await browser.newContext({ timezoneId: 'Europe/London' });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.clock.install({ time: Date.parse(NOW) - 10_000 });
      await page.goto(server.url + path);
      await page.clock.pauseAt(Date.parse(NOW));
      await page.waitForFunction((name) => document.querySelector(`[data-countdown="${name}"]`)?.dataset.key, block);
      return { page, close: async () => { await context.close(); assert.deepEqual(errors, []); } };
    };
    const text = (page, selector) => page.locator(selector).first()
      .evaluate((e) => e.textContent.replace(/\s+/g, ' ').trim());
    const language = (page) => page.evaluate(() => JSON.parse(document.getElementById('nextup-language').text));

    test('the home page counts down in the language, in its digits', async () => {
      const { page, close } = await open('/', 'banner');
      const words = (await language(page)).messages;
      const countdown = await text(page, '[data-countdown="banner"] [data-countdown-text]');
      if (tag === 'pt-BR') assert.equal(countdown, 'em 3 horas 15 minutos');
      else {
        assert.ok(countdown.startsWith('بعد '), countdown);
        assert.match(countdown, /٣/);
        assert.match(countdown, /١٥/);
        assert.doesNotMatch(countdown, ASCII_DIGIT);
      }
      // The local times, restated by localtimes.js: the language's clock and digits.
      const times = await page.locator('.days[data-local-times] time[data-end]').allTextContents();
      assert.ok(times.length > 0);
      for (const time of times) assert.match(time, tag === 'ar-EG' ? ARABIC_DIGITS : /\d\d:\d\d/);
      if (tag === 'ar-EG') for (const time of times) assert.doesNotMatch(time.replace(/GMT\S*/, ''), ASCII_DIGIT);
      const note = await text(page, '[data-zone-note]');
      assert.equal(note, words.zoneNote.replace('%(zone)s', 'Europe/London'));
      await close();
    });

    test('an event page says when in the language, and Arabic lays out right to left', async () => {
      const { page, close } = await open('/events/euroasia-scrum/', 'event');
      const when = await page.locator('ol[data-local-times] time[data-end]').first().textContent();
      if (tag === 'ar-EG') {
        assert.match(when, ARABIC_DIGITS);
      } else {
        assert.match(when, /\d\d:\d\d/);
      }
      const countdown = await text(page, '[data-countdown="event"] [data-countdown-text]');
      assert.ok(countdown.startsWith(tag === 'ar-EG' ? 'بعد ' : 'em '), countdown);
      const direction = await page.evaluate(() => [document.documentElement.dir,
        getComputedStyle(document.body).direction, getComputedStyle(document.querySelector('main')).direction]);
      assert.deepEqual(direction, tag === 'ar-EG' ? ['rtl', 'rtl', 'rtl'] : ['', 'ltr', 'ltr']);
      await close();
    });
  });
}
