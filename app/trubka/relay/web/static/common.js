// What the console and the web client share: the page's words, calls to the relay's API
// with the session's CSRF token, number formatting, copying, signing out, and the
// single-use ticket that opens a socket. Nothing here stores a token: the session lives
// in an HttpOnly cookie the page cannot read.
"use strict";
const Trubka = (function () {
  const texts = JSON.parse(document.getElementById("texts").textContent);
  const meta = document.querySelector("meta[name=csrf-token]");
  const csrf = meta ? meta.content : "";

  function t(key, values) {
    let text = texts[key] || key;
    for (const [name, value] of Object.entries(values || {})) {
      text = text.split("{" + name + "}").join(value);
    }
    return text;
  }

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.error) || ("HTTP " + status));
      this.status = status;
      this.body = body || {};
    }
  }

  async function api(method, url, body) {
    const init = {method, credentials: "same-origin", headers: {"X-CSRF-Token": csrf}};
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const reply = await fetch(url, init);
    let data = null;
    if (reply.status !== 204) {
      try { data = await reply.json(); } catch (e) { data = null; }
    }
    if (!reply.ok) throw new ApiError(reply.status, data);
    return data;
  }

  // The sentence people read: a PBX refusal in the page's language, else the error text.
  function problem(error) {
    const lang = document.documentElement.lang;
    const body = error.body || {};
    if (body.user_text && body.user_text[lang]) return body.user_text[lang];
    if (body.detail && body.detail.length) {
      return body.detail.map((d) => d.field + ": " + d.message).join("; ");
    }
    return error.message;
  }

  // +7 999 123-45-67 for Russian numbers (+7…, 7… or 8… with ten digits after), as the
  // desktop shows them; other numbers as given.
  function formatNumber(phone) {
    const m = /^(?:\+7|7|8)(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(phone || "");
    return m ? "+7 " + m[1] + " " + m[2] + "-" + m[3] + "-" + m[4] : (phone || "");
  }

  async function copy(text, button) {
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    if (button) {
      const old = button.textContent;
      button.textContent = t("copied");
      setTimeout(() => { button.textContent = old; }, 1500);
    }
  }

  async function signOut() {
    try { await api("DELETE", "/api/v1/session"); } finally { location.reload(); }
  }

  // A socket to `path`, authorised by a ticket the page fetches just before (browsers
  // cannot put a header on a WebSocket, and the ticket works once, for seconds).
  async function openSocket(path, params) {
    const {ticket} = await api("POST", "/api/v1/events/ticket");
    const query = new URLSearchParams(Object.assign({ticket}, params || {}));
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    return new WebSocket(scheme + location.host + path + "?" + query.toString());
  }

  function localTimes(root) {
    for (const el of (root || document).querySelectorAll("time[datetime]")) {
      const when = new Date(el.getAttribute("datetime"));
      if (!isNaN(when)) el.textContent = when.toLocaleString(document.documentElement.lang);
    }
  }

  document.addEventListener("click", (event) => {
    const target = event.target.closest("[data-copy],[data-sign-out]");
    if (!target) return;
    if (target.dataset.copy !== undefined) {
      const field = document.getElementById(target.dataset.copy);
      copy(field.value || field.textContent, target);
    } else {
      signOut();
    }
  });
  document.addEventListener("DOMContentLoaded", () => localTimes());

  return {t, api, ApiError, problem, formatNumber, copy, openSocket, localTimes, csrf};
})();
