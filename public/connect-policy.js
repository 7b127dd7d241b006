// Narrows where the page may connect (CSP connect-src) to the app itself, the build's default
// model hosts and the model hosts and endpoint the user chose. It runs before the app (a classic
// script executes as it is parsed, modules only afterwards) and adds a second policy; policies
// intersect, so this one can only narrow the static policy in index.html, never widen it.
// The list is computed by the app (src/engine/csp/connectSources.ts, whose names and source
// shape this file repeats; tests/unit/connectPolicyScript.test.ts runs it against them).
(function () {
  'use strict';
  var storageKey = 'dimmem.csp.connect-src.v1';
  var defaultsMetaName = 'dimmem-default-connect-src';
  var marker = 'data-dimmem-connect-src';
  var shape =
    /^(?:https:\/\/(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::\d{1,5})?|http:\/\/(?:127\.0\.0\.1|localhost)(?::\d{1,5})?)$/;
  var sources = ["'self'", 'blob:', 'data:'];

  function add(list) {
    if (!Array.isArray(list)) return;
    for (var i = 0; i < list.length; i++) {
      var source = list[i];
      if (typeof source === 'string' && shape.test(source) && sources.indexOf(source) < 0) {
        sources.push(source);
      }
    }
  }

  var defaults = document.querySelector('meta[name="' + defaultsMetaName + '"]');
  add(((defaults && defaults.getAttribute('content')) || '').split(/\s+/));
  try {
    add(JSON.parse(window.localStorage.getItem(storageKey) || '[]'));
  } catch {
    // Storage blocked or the list unreadable: the defaults alone.
  }

  var meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = 'connect-src ' + sources.join(' ');
  meta.setAttribute(marker, '');
  document.head.appendChild(meta);
})();
