// i18n.js: the page's two languages. Texts live in i18n/LANG.json (flat keys); elements carry
// data-i18n="key" (text) and data-i18n-attr="attr:key;attr:key" (attributes).
export const LANGS = ['en', 'es'];
const STORE_KEY = 'holdcheck.lang';
let dict = {};
let fallback = {};
let current = 'en';

export function lang() { return current; }

// The language to start in: ?lang=, then the saved choice, then the browser's, then English.
export function initialLang() {
  const q = new URLSearchParams(location.search).get('lang');
  if (q && LANGS.includes(q)) return q;
  try {
    const saved = localStorage.getItem(STORE_KEY);
    if (saved && LANGS.includes(saved)) return saved;
  } catch { /* storage may be disabled */ }
  for (const l of navigator.languages || [navigator.language || 'en']) {
    const base = String(l).slice(0, 2).toLowerCase();
    if (LANGS.includes(base)) return base;
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
