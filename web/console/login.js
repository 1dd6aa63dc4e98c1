// login.js: the sign-in page. POST /api/v1/session sets the HttpOnly session cookie; then on to
// the page asked for (?next=, a page of the console only) or the queue.
import { api, formError, clearFormError } from './app.js';

const form = document.getElementById('login');

function nextPage() {
  const n = new URLSearchParams(location.search).get('next') || '';
  return /^[a-z]+\.html(\?[A-Za-z0-9=&_-]*)?$/.test(n) ? n : 'queue.html';
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFormError(form);
  try {
    await api('POST', '/api/v1/session', { name: form.name.value.trim(), password: form.password.value });
    location.assign(nextPage());
  } catch (e) {
    formError(form, e);
    form.password.value = '';
  }
});

// Already signed in: go straight on.
api('GET', '/api/v1/session').then(() => location.assign(nextPage()), () => {
  document.getElementById('name').focus();
});
