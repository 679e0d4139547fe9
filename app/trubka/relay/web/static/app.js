// The web client: the desktop's call window in a page. One events socket per connection,
// opened with a fresh single-use ticket and resumed with `since` after a reconnect; a
// call card per call (same words and buttons as the desktop) and a browser notification
// for a ringing one; the dial box, the journal and the address book over the REST API.
"use strict";
(function () {
  const {t, api, problem, formatNumber, copy, openSocket} = Trubka;
  const root = document.getElementById("client");

  // -- signing in: an enrolment link (or its code) or a token, never stored -------------
  async function signIn(value) {
    const text = value.trim();
    const code = text.includes("#") ? text.split("#").pop().replace(/^code=/, "") : "";
    const body = code ? {code} : (text.startsWith("trk_") ? {token: text} : {code: text});
    await api("POST", "/api/v1/session", body);
    location.replace(location.pathname);
  }

  if (!root) {
    const form = document.getElementById("sign-in");
    const fail = (error) => {
      document.getElementById("sign-in-problem").textContent = t("wrong",
        {error: problem(error)});
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      signIn(form.elements.credential.value).catch(fail);
    });
    const hash = location.hash.replace(/^#/, "");
    history.replaceState(null, "", location.pathname);  // the code leaves the address bar
    if (hash) signIn(hash).catch(fail);
    return;
  }

  const ext = root.dataset.ext;
  const cards = document.getElementById("cards");
  const template = document.getElementById("card-template");
  const status = document.getElementById("status");
  const calls = new Map();  // call id → {call, el}
  let since = null;
  let delay = 1000;

  // -- notifications ------------------------------------------------------------------
  const notifyBox = document.getElementById("notify");
  const notifyAsk = document.getElementById("notify-ask");

  function notifyState() {
    const supported = "Notification" in window && window.isSecureContext;
    const permission = supported ? Notification.permission : "unsupported";
    notifyBox.hidden = permission === "granted";
    notifyAsk.hidden = permission !== "default";
    document.getElementById("notify-text").textContent = permission === "denied"
      ? t("notify_blocked") : (permission === "unsupported" ? t("notify_unsupported") : "");
    notifyBox.className = "notify " + permission;
  }

  notifyAsk.addEventListener("click", async () => {
    await Notification.requestPermission();
    notifyState();
  });
  notifyState();

  function notify(call, el) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    const who = call.contact ? call.contact.name : t("Unknown number");
    const note = new Notification(t("Incoming call") + ": " + who, {
      body: formatNumber(call.phone || call.phone_raw), tag: call.id});
    note.onclick = () => {
      window.focus();
      el.focus();
      el.scrollIntoView({block: "center"});
      note.close();
    };
  }

  // -- the call card ------------------------------------------------------------------
  function stateWord(call) {
    if (call.state === "ringing") return call.direction === "in" ? "Incoming call"
      : "Outgoing call";
    if (call.state === "answered") return "Talking";
    if (call.state === "answered_elsewhere") return "Answered elsewhere";
    if (call.state === "transferred") return "Transferred";
    if (!call.answered_at) return call.direction === "in" ? "Missed call" : "No answer";
    return "Call ended";
  }

  function fill(el, call) {
    const c = call.contact;
    const set = (sel, text) => {
      const node = el.querySelector(sel);
      node.textContent = text || "";
      node.hidden = !text;
    };
    el.className = "call-card state-" + call.state;
    set(".state", (call.direction === "in" ? "↙ " : "↗ ") + t(stateWord(call)));
    set(".line", call.line ? t("on {line}", {line: formatNumber(call.line)}) : "");
    set(".number", formatNumber(call.phone || call.phone_raw));
    set(".who", c ? c.name : t("Unknown number"));
    set(".company", c && c.company);
    set(".responsible", c && c.responsible_ext ? t("Responsible: ext. {ext}",
      {ext: c.responsible_ext}) : "");
    set(".note-line", c && c.note ? c.note.split("\n")[0] : "");
    set(".status-line", call.state === "answered_elsewhere" ? t("Answered by {who}",
      {who: call.answered_by || t("a colleague")}) : "");
    el.querySelector("[data-act=create]").hidden = !!c;
    el.querySelector("[data-act=card]").hidden = !c;
    el.querySelector("[data-act=crm]").hidden = !(c && crmAllowed(c.crm_url));
  }

  // core.contacts.crm_url_allowed: web pages with a host, and the 1C client.
  function crmAllowed(url) {
    try {
      const u = new URL(url);
      return ((u.protocol === "http:" || u.protocol === "https:") && !!u.hostname) ||
        u.protocol === "e1c:";
    } catch (e) { return false; }
  }

  async function dial(phone, out) {
    try {
      const placed = await api("POST", "/api/v1/calls", {phone});
      if (out) out.textContent = t("dialing", {number: formatNumber(placed.phone)});
    } catch (error) {
      if (out) out.textContent = problem(error); else window.alert(problem(error));
    }
  }

  function act(name, call, el) {
    const phone = call.phone || call.phone_raw;
    if (name === "copy") copy(phone, el.querySelector("[data-act=copy]"));
    // As the desktop: the number as the PBX sent it (Prostye Zvonki wants it so).
    if (name === "call") dial(call.phone_raw || phone, document.getElementById("dial-result"));
    if (name === "search") {
      window.open(root.dataset.search.split("{phone}").join(encodeURIComponent(phone)),
        "_blank", "noopener");
    }
    if (name === "create") TrubkaBook.open({phones: [phone]});
    if (name === "card") TrubkaBook.open(call.contact);
    if (name === "crm" && call.contact && crmAllowed(call.contact.crm_url)) {
      window.open(call.contact.crm_url, "_blank", "noopener");
    }
    if (name === "close") remove(call.id);
  }

  function remove(id) {
    const entry = calls.get(id);
    if (entry) entry.el.remove();
    calls.delete(id);
    title();
  }

  function show(call, live) {
    let entry = calls.get(call.id);
    const fresh = !entry;
    if (fresh) {
      const el = template.content.firstElementChild.cloneNode(true);
      el.addEventListener("click", (event) => {
        const button = event.target.closest("[data-act]");
        if (button) act(button.dataset.act, calls.get(call.id).call, el);
      });
      el.addEventListener("keydown", (event) => {
        if (event.key === "Escape") remove(call.id);
        if (event.key === "c" && event.ctrlKey && !window.getSelection().toString()) {
          act("copy", calls.get(call.id).call, el);
        }
      });
      entry = {call, el};
      calls.set(call.id, entry);
      cards.prepend(el);
    }
    entry.call = call;
    fill(entry.el, call);
    if (fresh && live && call.state === "ringing" && call.direction === "in") {
      notify(call, entry.el);
    }
    if (!["ringing", "answered"].includes(call.state)) {
      setTimeout(() => { if (!entry.el.matches(":hover")) remove(call.id); }, 10000);
    }
    title();
  }

  // The tab's title tells a glance what rings: "● Входящий: Иван Петров".
  function title() {
    const ringing = [...calls.values()].map((e) => e.call).find(
      (c) => c.state === "ringing" && c.direction === "in");
    document.title = ringing ? t("incoming_title", {who: ringing.contact
      ? ringing.contact.name : formatNumber(ringing.phone || ringing.phone_raw)})
      : t("title") + " — " + ext;
  }

  // -- the events socket --------------------------------------------------------------
  async function connect() {
    let socket;
    try {
      socket = await openSocket("/api/v1/events", since === null ? {} : {since});
    } catch (error) {
      if (error.status === 401) return signedOut();
      return retry();
    }
    socket.onmessage = (message) => {
      const frame = JSON.parse(message.data);
      if (frame.type === "hello") {
        delay = 1000;
        status.textContent = t("connected", {ext: frame.user.ext});
        for (const call of frame.calls) show(call, since === null);
        if (!frame.replay_complete || since === null) loadJournal();
        since = since === null ? frame.seq : since;
        return;
      }
      since = Math.max(since || 0, frame.seq);
      if (frame.type === "call") show(frame.call, true);
      if (frame.type === "journal") loadJournal();
      if (frame.type === "contacts") TrubkaBook.refresh();
    };
    socket.onclose = (event) => {
      if (event.code === 4401) return signedOut();
      retry();
    };
  }

  function retry() {
    status.textContent = t("reconnecting");
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, 10000);
  }

  function signedOut() {
    status.textContent = t("signed_out");
    setTimeout(() => location.reload(), 1500);
  }

  // -- journal and dial box -----------------------------------------------------------
  async function loadJournal() {
    const rows = await api("GET", "/api/v1/calls?limit=50");
    const body = document.getElementById("journal");
    body.replaceChildren(...rows.map((e) => {
      const tr = document.createElement("tr");
      tr.className = "status-" + e.status;
      const when = e.started_at ? new Date(e.started_at).toLocaleString(
        document.documentElement.lang) : "";
      const number = document.createElement("button");
      number.type = "button";
      number.className = "link number";
      number.textContent = formatNumber(e.phone || e.phone_raw);
      number.title = t("Call back");
      number.addEventListener("click", () => dial(e.phone || e.phone_raw,
        document.getElementById("dial-result")));
      const cells = [when, t(e.direction), "", e.contact ? e.contact.name : "",
        t(e.status === "missed" ? "missed" : "answered")];
      for (const [i, text] of cells.entries()) {
        const td = document.createElement("td");
        if (i === 2) td.append(number); else td.textContent = text;
        tr.append(td);
      }
      return tr;
    }));
    document.getElementById("journal-empty").hidden = rows.length > 0;
  }

  document.getElementById("dial").addEventListener("submit", (event) => {
    event.preventDefault();
    dial(event.target.elements.phone.value, document.getElementById("dial-result"));
  });

  title();
  connect();
})();
