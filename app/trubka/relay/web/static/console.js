// The admin console: forms marked `data-api` go to the admin API as JSON (with the
// session's CSRF token) and the page reloads or shows what came back; the live calls
// table follows the console feed (GET /api/v1/admin/live) as calls ring and end.
"use strict";
(function () {
  const {t, api, problem, formatNumber, openSocket} = Trubka;

  function flash(text) {
    const el = document.getElementById("flash");
    el.textContent = text;
    el.hidden = false;
  }

  // Named fields as JSON; `options.x` nests; a file field is read as text.
  async function body(form) {
    const out = {};
    const changedOnly = form.dataset.changedOnly;
    for (const el of form.elements) {
      if (el.dataset.fileField) {
        out[el.dataset.fileField] = el.files[0] ? await el.files[0].text() : "";
        continue;
      }
      if (!el.name || el.disabled) continue;
      if (changedOnly && el.dataset.initial !== undefined && el.value === el.dataset.initial) {
        continue;
      }
      const value = el.type === "checkbox" ? el.checked : el.value;
      const [head, tail] = el.name.split(".");
      if (tail) {
        out[head] = out[head] || {};
        if (value !== "") out[head][tail] = value;
      } else if (value !== "" || el.required) {
        out[head] = value;
      }
    }
    if (changedOnly && !out[changedOnly]) out[changedOnly] = {};
    return out;
  }

  function node(tag, text, attrs) {
    const el = document.createElement(tag);
    if (text) el.textContent = text;
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
    return el;
  }

  function copyLine(id, value, label) {
    const wrap = node("p", "", {class: "copy-field"});
    wrap.append(node("input", "", {id, value, readonly: "", "aria-label": label, size: "48"}));
    wrap.append(node("button", t("copy"), {type: "button", class: "secondary", "data-copy": id}));
    return wrap;
  }

  // What a form shows after its call, instead of reloading the page.
  const shows = {
    saved(data, out) {
      out.textContent = t("saved");
      out.className = "ok";
    },
    token(data, out) {
      out.replaceChildren(node("p", t("token_once")),
        copyLine("new-token", data.token, t("token_once")));
    },
    enroll(data, out, form) {
      const id = "link-" + form.closest("tr").dataset.user;
      const qr = node("div", "", {class: "qr", role: "img", "aria-label": "QR " + data.link});
      qr.innerHTML = data.qr_svg;  // SVG made by the relay (segno), not user input
      out.replaceChildren(copyLine(id, data.link, t("enroll")), qr);
    },
    provider(data, out) {
      const lines = [node("p", t("saved"))];
      for (const [name, value] of Object.entries(data.generated || {})) {
        lines.push(node("p", t("generated") + " " + name));
        lines.push(copyLine("generated-" + name, value, name));
      }
      out.replaceChildren(...lines);
    },
    test(data, out) {
      out.textContent = t("test_call_done", {status: data.status + " " + data.reply});
      out.className = data.ok ? "ok" : "problem";
    },
  };

  async function submit(form) {
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    const out = form.querySelector("[data-output]");
    const method = form.dataset.method || "POST";
    try {
      const data = await api(method, form.dataset.api,
        method === "DELETE" ? undefined : await body(form));
      if (form.dataset.show && out) {
        shows[form.dataset.show](data, out, form);
      } else {
        location.reload();
      }
    } catch (error) {
      const text = t("error") + ": " + problem(error);
      if (out) {
        out.textContent = text;
        out.className = "problem";
      } else {
        flash(text);
      }
    }
  }

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-api]");
    if (!form) return;
    event.preventDefault();
    submit(form);
  });
  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-submit-on-change]")) submit(event.target.form);
  });

  // -- live calls ---------------------------------------------------------------------
  const table = document.querySelector("table[data-live] tbody");
  const FINAL = ["ended", "answered_elsewhere", "transferred"];

  function row(user, call) {
    const tr = node("tr", "", {"data-call": call.id, class: "state-" + call.state});
    const started = call.started_at ? new Date(call.started_at).toLocaleTimeString() : "";
    for (const text of [user.name + " (" + user.ext + ")", formatNumber(call.phone ||
      call.phone_raw), call.contact ? call.contact.name : t("unknown_number"), t(call.state),
    started]) {
      tr.append(node("td", text));
    }
    tr.children[1].className = "number";
    return tr;
  }

  function upsert(user, call) {
    const old = table.querySelector(`tr[data-call="${CSS.escape(call.id)}"]`);
    const fresh = row(user, call);
    if (old) old.replaceWith(fresh); else table.append(fresh);
    if (FINAL.includes(call.state)) setTimeout(() => { fresh.remove(); empty(); }, 5000);
    empty();
  }

  function empty() {
    document.querySelector("[data-live-empty]").hidden = table.children.length > 0;
  }

  async function follow(delay) {
    const warn = document.querySelector("[data-live-problem]");
    let socket;
    try {
      socket = await openSocket("/api/v1/admin/live");
    } catch (error) {
      if (error.status === 401 || error.status === 403) return location.reload();
      warn.hidden = false;
      return setTimeout(() => follow(Math.min(delay * 2, 10000)), delay);
    }
    socket.onopen = () => { warn.hidden = true; delay = 1000; };
    socket.onmessage = (message) => {
      const frame = JSON.parse(message.data);
      if (frame.type === "live") {
        table.replaceChildren(...frame.calls.map((c) => row(c.user, c.call)));
        empty();
      } else if (frame.type === "call") {
        upsert(frame.user, frame.call);
      }
    };
    socket.onclose = (event) => {
      if (event.code === 4401) return location.reload();
      warn.hidden = false;
      setTimeout(() => follow(Math.min(delay * 2, 10000)), delay);
    };
  }

  if (table) follow(1000);
})();
