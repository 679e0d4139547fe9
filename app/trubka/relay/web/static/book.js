// The shared address book, in the console and in the web client: search as you type
// (200 ms after the last key), edit in place, create; in the console also import with a
// preview (duplicates merged) and delete.
"use strict";
const TrubkaBook = (function () {
  const {t, api, problem, formatNumber} = Trubka;
  const search = document.getElementById("book-search");
  const results = document.getElementById("book-results");
  const form = document.getElementById("contact-form");
  if (!search || !results || !form) return {open() {}, refresh() {}};
  let timer = null;

  function cell(text, className) {
    const td = document.createElement("td");
    td.textContent = text || "";
    if (className) td.className = className;
    return td;
  }

  function render(contacts) {
    results.replaceChildren(...contacts.map((c) => {
      const tr = document.createElement("tr");
      tr.append(cell(c.name), cell(c.company),
        cell(c.phones.map(formatNumber).join(", "), "number"), cell(c.responsible_ext));
      const td = document.createElement("td");
      const edit = document.createElement("button");
      edit.type = "button";
      edit.className = "secondary";
      edit.textContent = t("edit");
      edit.addEventListener("click", () => open(c));
      td.append(edit);
      tr.append(td);
      return tr;
    }));
    if (!contacts.length) {
      const tr = document.createElement("tr");
      tr.append(cell(t("empty_book")));
      results.append(tr);
    }
  }

  async function refresh() {
    const q = encodeURIComponent(search.value.trim());
    try {
      render(await api("GET", "/api/v1/contacts?limit=50&q=" + q));
    } catch (error) {
      results.replaceChildren(cell(problem(error), "problem"));
    }
  }

  function open(contact) {
    const c = contact || {};
    for (const name of ["id", "name", "company", "email", "responsible_ext", "note",
      "crm_url"]) {
      form.elements[name].value = c[name] == null ? "" : c[name];
    }
    form.elements.phones.value = (c.phones_raw || c.phones || []).join(", ");
    form.querySelector("[data-output]").textContent = "";
    form.hidden = false;
    form.elements.name.focus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = form.elements;
    const data = {};
    for (const name of ["name", "company", "email", "responsible_ext", "note", "crm_url"]) {
      data[name] = f[name].value.trim();
    }
    data.phones = f.phones.value.split(/[,;]/).map((p) => p.trim()).filter(Boolean);
    const out = form.querySelector("[data-output]");
    try {
      const saved = f.id.value ? await api("PUT", "/api/v1/contacts/" + f.id.value, data)
        : await api("POST", "/api/v1/contacts", data);
      f.id.value = saved.id;
      out.textContent = t("saved");
      out.className = "ok";
      refresh();
    } catch (error) {
      out.textContent = problem(error);
      out.className = "problem";
    }
  });

  form.addEventListener("click", async (event) => {
    if (event.target.matches("[data-cancel]")) form.hidden = true;
    if (event.target.matches("[data-delete-contact]") && form.elements.id.value) {
      await api("DELETE", "/api/v1/contacts/" + form.elements.id.value);
      form.hidden = true;
      refresh();
    }
  });

  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 200);
  });

  // -- import (console only) ------------------------------------------------------------
  const file = document.getElementById("contacts-file");
  const importResult = document.getElementById("import-result");
  const confirmButton = document.querySelector("[data-confirm-import]");

  async function importFile(preview) {
    const chosen = file.files[0];
    if (!chosen) return;
    const format = /\.(vcf|vcard)$/i.test(chosen.name) ? "vcard" : "csv";
    try {
      const plan = await api("POST", "/api/v1/admin/contacts/import",
        {format, text: await chosen.text(), preview});
      const key = preview ? "preview_result" : "imported";
      const lines = [t(key, {new: plan.new, merged: plan.merged})];
      for (const m of plan.merges) {
        lines.push(m.name + ": " + m.before.map(formatNumber).join(", ") + " → " +
          m.after.map(formatNumber).join(", "));
      }
      importResult.replaceChildren(...lines.map((line) => {
        const p = document.createElement("p");
        p.textContent = line;
        return p;
      }));
      confirmButton.hidden = !preview || plan.new + plan.merged === 0;
      if (!preview) refresh();
    } catch (error) {
      importResult.textContent = problem(error);
      confirmButton.hidden = true;
    }
  }

  if (file) {
    document.querySelector("[data-preview-import]").addEventListener(
      "click", () => importFile(true));
    confirmButton.addEventListener("click", () => importFile(false));
    document.querySelector("[data-new-contact]").addEventListener("click", () => open());
  }
  refresh();
  return {open, refresh};
})();
