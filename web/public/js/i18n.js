// i18n.js: the page's languages, the six of the TRUTH Act notices (Gov. Code 7283.1(a)):
// English, Spanish, Chinese in traditional characters, Tagalog, Vietnamese, Korean. A language's
// code is its BCP 47 tag: it names its file (i18n/LANG.json), goes into <html lang> and ?lang=,
// and is what Intl formats dates, times, numbers and plurals with. Texts are flat keys;
// elements carry data-i18n="key" (text) and data-i18n-attr="attr:key;attr:key" (attributes).
export const LANGS = ['en', 'es', 'zh-Hant', 'tl', 'vi', 'ko'];
const STORE_KEY = 'holdcheck.lang';
let dict = {};
let fallback = {};
let current = 'en';

export function lang() { return current; }

// The page's language for a tag as people and browsers write it, or null: "es-MX" is Spanish;
// any Chinese ("zh", "zh-TW", "zh-CN") is the Chinese page, the only one there is; Filipino
// ("fil", "fil-PH") is Tagalog, as the notices have it.
export function pageLang(tag) {
  const t = String(tag || '').toLowerCase();
  const base = t.split(/[-_]/)[0];
  if (base === 'zh') return 'zh-Hant';
  if (base === 'fil') return 'tl';
  return LANGS.includes(base) ? base : null;
}

// The language to start in: ?lang=, then the saved choice, then the browser's, then English.
export function initialLang() {
  const q = pageLang(new URLSearchParams(location.search).get('lang'));
  if (q) return q;
  try {
    const saved = localStorage.getItem(STORE_KEY);
    if (saved && LANGS.includes(saved)) return saved;
  } catch { /* storage may be disabled */ }
  for (const l of navigator.languages || [navigator.language || 'en']) {
    const p = pageLang(l);
    if (p) return p;
  }
  return 'en';
}

async function loadDict(l) {
  const r = await fetch(`i18n/${l}.json`, { headers: { Accept: 'application/json' } });
  if (!r.ok) throw new Error(`i18n/${l}.json: ${r.status}`);
  return r.json();
}

// Loads LANG (and English as the fallback for any missing key), saves the choice and applies it.
export async function setLang(l, { save = true } = {}) {
  if (!LANGS.includes(l)) l = 'en';
  const [d, en] = await Promise.all([loadDict(l), l === 'en' ? null : (fallback.brand ? fallback : loadDict('en'))]);
  dict = d;
  fallback = l === 'en' ? d : en;
  current = l;
  if (save) {
    try { localStorage.setItem(STORE_KEY, l); } catch { /* ignore */ }
  }
  document.documentElement.lang = l;
  apply(document);
  return l;
}

// t('results.count', {n: 3}): {n} is replaced; "key.one"/"key.other" picks the plural form.
export function t(key, vars) {
  let k = key;
  if (vars && typeof vars.n === 'number') {
    const form = new Intl.PluralRules(current).select(vars.n) === 'one' ? 'one' : 'other';
    if ((key + '.' + form) in dict || (key + '.' + form) in fallback) k = key + '.' + form;
  }
  let s = k in dict ? dict[k] : k in fallback ? fallback[k] : null;
  if (s === null) return null;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  return s;
}

// Like t, but never empty: the key itself when no text exists.
export function tt(key, vars) { const s = t(key, vars); return s === null ? key : s; }

export function apply(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    const s = t(el.dataset.i18n);
    if (s !== null) el.textContent = s;
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':');
      const s = t(key);
      if (attr && s !== null) el.setAttribute(attr, s);
    }
  }
  for (const b of document.querySelectorAll('button.lang')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === current));
  }
}
