// lbkit's status page: draws /status and /table, redraws on each /events message. No framework, no CDN.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const lastChange = new Map(); // real (service|real) -> time of its last health event
  let pending = null;

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }

  function badge(text, cls) { return el("span", { class: "badge " + cls }, text); }

  function drawVrrp(status) {
    const body = $("vrrp").tBodies[0];
    const names = Object.keys(status.vrrp || {}).sort();
    $("novrrp").hidden = names.length > 0;
    $("vrrp").hidden = names.length === 0;
    body.replaceChildren(...names.map((n) => {
      const i = status.vrrp[n];
      const drops = Object.entries(i.drops || {}).map(([r, c]) => r + " " + c).join(", ");
      return el("tr", { "data-instance": n, "data-state": i.state },
        el("td", {}, n), el("td", {}, badge(i.state, i.state)), el("td", { class: "num" }, i.priority),
        el("td", { class: "reason" }, drops || "-"));
    }));
  }

  function drawServices(status, table) {
    const byKey = new Map((table.services || []).map((s) => [s.service, s]));
    const box = $("services");
    $("noservices").hidden = (status.services || []).length > 0;
    box.replaceChildren(...(status.services || []).map((s) => {
      const t = byKey.get(s.service) || { scheduler: "", dests: [] };
      const dests = new Map(t.dests.map((d) => [d.real, d]));
      const rows = s.reals.map((r) => {
        const d = dests.get(r.real);
        const seen = lastChange.get(s.service + "|" + r.real);
        return el("tr", { class: r.up ? "up" : "down", "data-real": r.real, "data-health": r.up ? "up" : "down" },
          el("td", { class: "addr" }, "-> " + r.real),
          el("td", { class: "wide" }, d ? d.forward : "-"),
          el("td", { class: "num" }, d ? d.weight : "-"),
          el("td", { class: "num" }, d ? d.active : "-"),
          el("td", { class: "num wide" }, d ? d.inactive : "-"),
          el("td", {}, badge(r.up ? "up" : "down", r.up ? "up" : "down")),
          el("td", { class: "reason" }, (r.reason || "") + (seen ? " (" + seen + ")" : "")));
      });
      const head = el("tr", {}, ...["RemoteAddress:Port", "Forward", "Weight", "ActiveConn", "InActConn", "Health",
        "Last check"].map((h, i) => el("th", { class: i === 1 || i === 4 ? "wide" : "" }, h)));
      return el("div", { class: "service", "data-service": s.service },
        el("h3", {}, s.service + " " + t.scheduler + (t.persistent ? " persistent" : ""),
          badge(s.quorumUp ? "quorum up" : "quorum down", s.quorumUp ? "up" : "down"),
          s.sorryServerActive ? badge("sorry server", "down") : ""),
        el("div", { class: "scroll" }, el("table", {}, el("thead", {}, head), el("tbody", {}, ...rows))));
    }));
  }

  async function refresh() {
    pending = null;
    try {
      const [status, table] = await Promise.all([fetch("status", { cache: "no-store" }).then((r) => r.json()),
        fetch("table", { cache: "no-store" }).then((r) => r.json())]);
      drawVrrp(status);
      drawServices(status, table);
      $("updated").textContent = "updated " + new Date().toLocaleTimeString();
    } catch (e) {
      $("updated").textContent = "update failed: " + e;
    }
  }

  function soon() { if (!pending) pending = setTimeout(refresh, 30); }

  function describe(e) {
    switch (e.type) {
      case "vrrp": return "VRRP " + e.instance + ": " + e.from + " -> " + e.to + " (" + e.reason + ")";
      case "health": return "HEALTH " + e.real + " of " + e.service + ": " + (e.up ? "UP" : "DOWN") +
        (e.reason ? " (" + e.reason + ")" : "");
      case "reconcile": return "RECONCILE " + e.cause + ": " + e.applied + " applied, " + e.failed + " failed";
      case "reload": return "RELOAD " + e.result;
      default: return e.type;
    }
  }

  function connect() {
    const src = new EventSource("events");
    src.onopen = () => { $("conn").textContent = "live"; $("conn").className = "badge live"; $("conn").dataset.conn = "live"; soon(); };
    src.onerror = () => { $("conn").textContent = "reconnecting"; $("conn").className = "badge off"; $("conn").dataset.conn = "off"; };
    src.onmessage = (m) => {
      const e = JSON.parse(m.data);
      if (e.type === "health") lastChange.set(e.service + "|" + e.real, new Date(e.time).toLocaleTimeString());
      const list = $("events");
      list.prepend(el("li", { "data-seq": e.seq, "data-type": e.type }, new Date(e.time).toLocaleTimeString() + " " + describe(e)));
      while (list.children.length > 50) list.lastChild.remove();
      soon();
    };
  }

  refresh();
  connect();
  setInterval(refresh, 10000); // counters move without events
})();
