// i18n.test.mjs: the public page's language files (web/public/i18n/LANG.json) against English,
// without a browser: every language the page offers has a file and a button, and every file
// has exactly the keys of en.json (none missing, none extra), no empty text, the placeholders
// of the English text, a plural form that states the number whenever Intl picks it, and is
// translated. Run by `make check-public`:
//   node --test tests/public/i18n.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { LANGS, pageLang } from '../../web/public/js/i18n.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.resolve(here, '../../web/public');
const read = (l) => JSON.parse(fs.readFileSync(path.join(web, 'i18n', `${l}.json`), 'utf8'));
const EN = read('en');
const placeholders = (s) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

test('the six languages of the notices, each with a file and a button', () => {
  assert.deepEqual(LANGS, ['en', 'es', 'zh-Hant', 'tl', 'vi', 'ko']);
  const files = fs.readdirSync(path.join(web, 'i18n')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  assert.deepEqual(files.sort(), [...LANGS].sort(), 'web/public/i18n/ holds one file per language offered');
  const html = fs.readFileSync(path.join(web, 'index.html'), 'utf8');
  for (const l of LANGS) {
    assert.match(html, new RegExp(`<button type="button" class="lang" data-lang="${l}" lang="${l}"`), `no button for ${l}`);
  }
  // Tags as browsers and people write them lead to the page's languages.
  for (const [tag, want] of [['es-MX', 'es'], ['zh-TW', 'zh-Hant'], ['zh', 'zh-Hant'], ['zh-CN', 'zh-Hant'], ['fil-PH', 'tl'],
    ['tl', 'tl'], ['vi-VN', 'vi'], ['ko-KR', 'ko'], ['en-US', 'en'], ['fr', null], ['', null]]) {
    assert.equal(pageLang(tag), want, `pageLang(${JSON.stringify(tag)})`);
  }
});

for (const l of LANGS.filter((x) => x !== 'en')) {
  test(`${l}.json: the keys of en.json, each translated, with its placeholders`, () => {
    const d = read(l);
    const missing = Object.keys(EN).filter((k) => !(k in d));
    const extra = Object.keys(d).filter((k) => !(k in EN));
    assert.deepEqual(missing, [], `${l}.json lacks keys en.json has`);
    assert.deepEqual(extra, [], `${l}.json has keys en.json lacks`);
    for (const [k, v] of Object.entries(d)) {
      assert.ok(typeof v === 'string' && v.trim().length > 0, `${l}.json: ${k} is empty`);
      // A plural's "one" form may state the number ({n}) where English writes "1".
      const want = placeholders(EN[k]);
      const got = placeholders(v).filter((p) => !(k.endsWith('.one') && p === 'n' && !want.includes('n')));
      assert.deepEqual(got, want, `${l}.json: ${k} has placeholders ${got}, English ${want}`);
    }
    // Intl picks the form; whichever it picks must say the number (Tagalog's "one" is also 2, 3, 5...).
    const plural = new Intl.PluralRules(l);
    for (const k of Object.keys(d).filter((x) => x.endsWith('.other')).map((x) => x.slice(0, -6))) {
      for (let n = 0; n <= 30; n++) {
        const form = plural.select(n) === 'one' ? 'one' : 'other';
        const s = d[`${k}.${form}`].replace(/\{n\}/g, String(n));
        assert.ok(new RegExp(`(^|\\D)${n}(\\D|$)`).test(s), `${l}.json: ${k}.${form} for ${n} says "${s}"`);
      }
    }
    // Translated, not copied: only a few texts (placeholders alone, "Email address"...) may match.
    const same = Object.keys(EN).filter((k) => d[k] === EN[k]);
    assert.ok(same.length <= Object.keys(EN).length / 10, `${l}.json: ${same.length} texts are the English ones: ${same}`);
  });
}
