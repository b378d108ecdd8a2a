// Copy-to-clipboard for deep links; without JavaScript the read-only field can still be copied by hand.
document.addEventListener('click', async (event) => {
  const button = event.target instanceof Element ? event.target.closest('button.selfreg-copy') : null;
  if (!button) return;
  const text = button.getAttribute('data-copy') || '';
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    const field = button.parentElement && button.parentElement.querySelector('input.selfreg-link');
    if (field) { field.focus(); field.select(); }
    button.textContent = 'Press Ctrl+C to copy';
  }
  setTimeout(() => { button.textContent = 'Copy link'; }, 2500);
});
