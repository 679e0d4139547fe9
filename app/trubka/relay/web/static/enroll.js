// The enrolment page: the code is in the URL's fragment, which the browser never sends
// to a server, so it appears in no log. Ask the relay what the code is (without using
// it up), then offer the trubka:// link that hands it to the desktop app.
"use strict";
(function () {
  const texts = JSON.parse(document.getElementById("texts").textContent);
  const section = document.getElementById("enroll");
  const relay = section.dataset.relay;
  const code = decodeURIComponent(location.hash.replace(/^#/, ""));
  const show = (id, text) => {
    const el = document.getElementById(id);
    if (text !== undefined) el.textContent = text;
    el.hidden = false;
  };
  // Out of the address bar (and the browser history) once read.
  history.replaceState(null, "", location.pathname);
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(code)) {
    show("problem", texts.incomplete);
    return;
  }
  fetch("/api/v1/enroll/status", {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({code: code}),
    credentials: "omit",
  }).then((reply) => reply.json().then((body) => ({reply, body})))
    .then(({reply, body}) => {
      if (!reply.ok) {
        show("problem", texts[body.code] || body.error);
        return;
      }
      const link = "trubka://enroll?relay=" + encodeURIComponent(relay) +
        "&code=" + encodeURIComponent(code);
      show("who", texts.for_user.replace("{name}", body.user.name)
        .replace("{ext}", body.user.ext));
      const open = document.getElementById("open");
      open.href = link;
      show("open");
      show("hint");
      // The web client signs in with the same code (once: then the app cannot).
      document.getElementById("web").href = "/app/#" + encodeURIComponent(code);
      show("web");
      document.getElementById("link").value = relay + "/enroll#" + code;
    })
    .catch(() => show("problem", texts.offline));
})();
