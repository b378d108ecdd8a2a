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
