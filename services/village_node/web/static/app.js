// Liandong workbench: live worklist, item search, the materials check, print buttons. No libraries.
"use strict";

function pollWorklist() {
  const body = document.body;
  const url = body.dataset.poll;
  if (!url) return;
  let version = body.dataset.version;
  const live = document.getElementById("live");
  async function tick() {
    try {
      const r = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!r.ok || !(r.headers.get("content-type") || "").includes("json")) return;
      const doc = await r.json();
      if (doc.version === version) return;
      const page = new URL(window.location.href);
      page.searchParams.set("partial", "1");
      const rows = await fetch(page, { credentials: "same-origin" });
      if (!rows.ok) return;
      document.getElementById("rows").innerHTML = await rows.text();
      version = doc.version;
      if (live) live.textContent = (live.dataset.text || "已自动更新") + " " + new Date().toLocaleTimeString();
    } catch (e) {
      /* offline for a moment: try again at the next tick */
    }
  }
  window.setInterval(tick, 3000);
}

function filterItems() {
  const input = document.getElementById("item-filter");
  const list = document.getElementById("items");
  if (!input || !list) return;
  input.addEventListener("input", () => {
    const needle = input.value.replace(/\s+/g, "").toLowerCase();
    for (const li of list.children) {
      const text = li.dataset.search || "";
      li.hidden = needle !== "" && !text.replace(/\s+/g, "").includes(needle) && !text.includes(needle);
    }
  });
}

function materialsCheck() {
  const form = document.getElementById("new-matter");
  const box = document.getElementById("missing");
  if (!form || !box) return;
  const button = document.getElementById("submit-matter");
  function update() {
    const missing = [];
    const tolerable = [];
    for (const cb of form.querySelectorAll('input[name="materials"]')) {
      if (cb.checked) continue;
      if (cb.dataset.kind === "required") missing.push(cb.dataset.name);
      if (cb.dataset.kind === "tolerable") tolerable.push(cb.dataset.name);
    }
    if (missing.length) {
      box.className = "missing lacking";
      box.textContent = box.dataset.missing + "（" + missing.length + "）：" + missing.join("、");
      button.textContent = box.dataset.submitNotice;
    } else {
      box.className = "missing complete";
      box.textContent = box.dataset.ok + (tolerable.length ? "（容缺：" + tolerable.join("、") + "）" : "");
      button.textContent = box.dataset.submitOk;
    }
  }
  form.addEventListener("change", update);
  update();
}

function printButtons() {
  for (const b of document.querySelectorAll("[data-print]")) b.addEventListener("click", () => window.print());
}

document.addEventListener("DOMContentLoaded", () => {
  pollWorklist();
  filterItems();
  materialsCheck();
  printButtons();
});
