// Live preview of the Registration page panel. It reads the form's fields and redraws the preview
// in this page only: nothing is saved or sent until the admin presses Save. Text is set with
// textContent (never as HTML), colours only when they are #rrggbb, the logo only from an https://
// address or a path on this site, and only once the admin leaves the field.
(function () {
  'use strict';
  var HEX = /^#[0-9a-fA-F]{6}$/;
  var LOGO = /^(https:\/\/[^\s"'<>\\`]+|\/(?![/\\])[^\s"'<>\\`]*)$/;

  function channel(hex, i) {
    var c = parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }
  function luminance(hex) { return 0.2126 * channel(hex, 0) + 0.7152 * channel(hex, 1) + 0.0722 * channel(hex, 2); }
  function contrastWithWhite(hex) { return 1.05 / (luminance(hex) + 0.05); }

  function paragraphs(el, text) {
    var value = (text || '').replace(/\r\n?/g, '\n').trim();
    if (value === '') value = el.getAttribute('data-default') || '';
    while (el.firstChild) el.removeChild(el.firstChild);
    value.split(/\n{2,}/).forEach(function (block) {
      var lines = block.split('\n').filter(function (l) { return l.trim() !== ''; });
      if (lines.length === 0) return;
      var p = document.createElement('p');
      lines.forEach(function (line, i) {
        if (i > 0) p.appendChild(document.createElement('br'));
        p.appendChild(document.createTextNode(line));
      });
      el.appendChild(p);
    });
  }

  function init(form) {
    var panel = form.closest('.selfreg-branding');
    var root = panel && panel.querySelector('[data-preview-root]');
    if (!root) return;
    var part = function (name) { return root.querySelector('[data-preview="' + name + '"]'); };
    var value = function (name) { var f = form.elements.namedItem(name); return f ? String(f.value) : ''; };
    var contrast = panel.querySelector('#selfreg-b-contrast');

    function colour(name, property) {
      var v = value(name).trim();
      var swatch = panel.querySelector('[data-swatch="' + name + '"]');
      if (HEX.test(v)) {
        root.style.setProperty(property, v);
        if (swatch) swatch.style.background = v;
      } else if (swatch) {
        swatch.style.background = '';
      }
      return HEX.test(v) ? v : null;
    }

    function update() {
      var heading = part('heading');
      heading.textContent = value('heading').trim() || heading.getAttribute('data-default');
      paragraphs(part('introduction'), value('introduction'));
      paragraphs(part('successMessage'), value('successMessage'));
      var terms = value('termsUrl').trim() !== '';
      var privacy = value('privacyUrl').trim() !== '';
      part('consent').hidden = !terms && !privacy;
      var label = part('consentLabel');
      label.textContent = label.getAttribute(terms && privacy ? 'data-both' : terms ? 'data-terms' : 'data-privacy') || '';
      colour('accentColour', '--selfreg-b-accent');
      var primary = colour('primaryColour', '--selfreg-b-primary');
      if (contrast) {
        if (primary) {
          var ratio = contrastWithWhite(primary);
          var ok = ratio >= 4.5;
          contrast.textContent = (contrast.getAttribute(ok ? 'data-contrast-ok' : 'data-contrast-low') || '').replace('{ratio}', ratio.toFixed(1));
          contrast.classList.toggle('is-low', !ok);
        } else {
          contrast.textContent = '';
        }
      }
    }

    function updateLogo() {
      var url = value('logoUrl').trim();
      var img = part('logo');
      var name = part('portal');
      if (LOGO.test(url)) {
        if (img.getAttribute('src') !== url) img.setAttribute('src', url);
        img.hidden = false;
        name.hidden = true;
      } else {
        img.removeAttribute('src');
        img.hidden = true;
        name.hidden = false;
      }
    }

    // The colour pickers (shown only with script): each keeps its hex field in step, both ways.
    var pickers = form.querySelectorAll('input[data-picker-for]');
    for (var i = 0; i < pickers.length; i++) {
      (function (picker) {
        var field = form.elements.namedItem(picker.getAttribute('data-picker-for'));
        if (!field) return;
        picker.hidden = false;
        picker.addEventListener('input', function () {
          field.value = picker.value;
          update();
        });
        field.addEventListener('input', function () {
          var v = String(field.value).trim();
          if (HEX.test(v)) picker.value = v.toLowerCase();
        });
      })(pickers[i]);
    }

    form.addEventListener('input', update);
    form.addEventListener('change', function (event) {
      if (event.target && event.target.name === 'logoUrl') updateLogo();
    });
    form.addEventListener('reset', function () {
      // The fields get their saved values after this event: redraw once they have.
      setTimeout(function () { update(); updateLogo(); }, 0);
    });
    update();
  }

  function start() {
    var forms = document.querySelectorAll('form[data-selfreg-branding-form]');
    for (var i = 0; i < forms.length; i++) init(forms[i]);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
