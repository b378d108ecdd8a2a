// Self-registration panels: copy-to-clipboard for deep links and keys, and confirmations for
// irreversible forms. Everything works without JavaScript too: the read-only field can be copied by
// hand, and forms simply submit.
(function () {
  if (window.__selfregPanel) return; // the script may be included by several panels on one page
  window.__selfregPanel = true;

  document.addEventListener('click', async (event) => {
    const button = event.target instanceof Element ? event.target.closest('button.selfreg-copy') : null;
    if (!button) return;
    const text = button.getAttribute('data-copy') || '';
    const label = button.getAttribute('data-label') || button.textContent;
    if (!button.hasAttribute('data-label')) button.setAttribute('data-label', label);
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = button.getAttribute('data-copied') || 'Copied';
      button.classList.add('selfreg-copied');
    } catch {
      const field = button.parentElement && button.parentElement.querySelector('input.selfreg-link');
      if (field) { field.focus(); field.select(); }
      button.textContent = button.getAttribute('data-fallback') || 'Press Ctrl+C to copy';
    }
    setTimeout(() => {
      button.textContent = button.getAttribute('data-label');
      button.classList.remove('selfreg-copied');
    }, 2500);
  });

  // Selecting a read-only link selects all of it, ready to copy.
  document.addEventListener('focusin', (event) => {
    const field = event.target;
    if (field instanceof HTMLInputElement && field.classList.contains('selfreg-link')) field.select();
  });

  document.addEventListener('submit', (event) => {
    const form = event.target instanceof HTMLFormElement ? event.target : null;
    const question = form && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();

// The Tokens page's bulk upload: the file goes as the request body (text/csv), so the server reads it
// as a stream; the answer says where the dry run is, or what is wrong with the file and on which line.
(function () {
  if (window.__selfregUpload) return;
  window.__selfregUpload = true;
  document.addEventListener('submit', async (event) => {
    const form = event.target instanceof HTMLFormElement && event.target.classList.contains('selfreg-upload') ? event.target : null;
    if (!form) return;
    event.preventDefault();
    const input = form.querySelector('input[type="file"]');
    const problem = form.querySelector('.selfreg-upload-error');
    const file = input && input.files && input.files[0];
    const show = (text) => { problem.textContent = text; problem.hidden = false; };
    problem.hidden = true;
    if (!file) return show('Choose a CSV file first.');
    const max = Number(form.getAttribute('data-max-bytes') || 0);
    if (max && file.size > max) return show(form.getAttribute('data-too-large') || 'The file is too large.');
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const res = await fetch(form.getAttribute('action'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': form.getAttribute('data-csrf') || '', 'X-File-Name': encodeURIComponent(file.name) },
        body: file,
      });
      const answer = await res.json().catch(() => ({}));
      if (res.ok && answer.location) return void window.location.assign(answer.location);
      show(answer.error || 'The file could not be checked. Reload the page and try again.');
    } catch {
      show('The file could not be sent. Check your connection and try again.');
    } finally {
      button.disabled = false;
    }
  });
})();
