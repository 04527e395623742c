"use strict";
(function () {
  // The report's data is JSON in the page; every catalog text reaches the page through textContent only.
  var data = JSON.parse(document.getElementById("aelint-data").textContent);
  var SEVERITIES = ["error", "warning", "info"];
  var PAGE_SIZE = 50;
  var state = { severities: { error: true, warning: true, info: true }, rule: "", query: "", page: 0 };

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        if (name === "text") { node.textContent = attrs.text; }
        else if (name === "className") { node.className = attrs.className; }
        else { node.setAttribute(name, attrs[name]); }
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) { continue; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  // Texts in the report's language: fixed texts by their English, counted ones by plural category.
  var TEXT = data.text || {}, PLURAL = data.plural || {};
  var pluralRules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(data.lang || "en") : null;
  function t(text, values) {
    return (TEXT[text] || text).replace(/\{(\w+)\}/g, function (whole, name) {
      return values && name in values ? String(values[name]) : whole;
    });
  }
  function plural(n, what) {
    var forms = PLURAL[what] || {};
    var category = pluralRules ? pluralRules.select(n) : (n === 1 ? "one" : "other");
    return (forms[category] || forms.other || "{n} " + what).split("{n}").join(String(n));
  }
  function ruleLink(code) { return el("a", { href: "#rule-" + code, text: code }); }

  var summary = data.summary;
  var header = el("header", null,
    el("h1", { text: t("aelint report") }),
    el("div", { className: "muted", text: data.files.join(", ") + " \u2014 " + plural(summary.products, "product") +
      ", " + plural(summary.rows, "row") + ", " + plural(summary.files, "file") + " (aelint " + data.tool.version + ")" }));
  var counts = el("div", { className: "counts" });
  SEVERITIES.forEach(function (severity) {
    var n = String(summary[severity]), label = plural(summary[severity], severity), at = label.indexOf(n);
    counts.appendChild(el("div", { className: "count " + severity }, label.slice(0, Math.max(at, 0)),
      el("b", { text: n }), (at < 0 ? label : label.slice(at + n.length)).replace(/^\s+/, "")));
  });
  header.appendChild(counts);
  var notes = [];
  if (summary.fixed) { notes.push(t("{count} fixed in the corrected copy.", { count: summary.fixed })); }
  else if (summary.fixable) {
    notes.push(t("{count} can be fixed automatically: run aelint with --fix to get a corrected copy.", { count: summary.fixable }));
  }
  if (summary.baseline_known !== null) {
    notes.push(t("{known} known findings hidden by the baseline; {resolved} fixed since the baseline.",
      { known: summary.baseline_known, resolved: summary.baseline_resolved }));
  }
  summary.failures.forEach(function (failure) { notes.push(t("Could not read: {failure}", { failure: failure })); });
  notes.forEach(function (note) { header.appendChild(el("p", { className: "notes", text: note })); });
  header.appendChild(el("p", { className: "muted", text: t("Errors will get a listing rejected or penalised; " +
    "warnings hurt review or ranking and should be fixed; info is advice.") }));
  document.body.appendChild(header);

  var main = el("main");
  document.body.appendChild(main);
  var codes = Object.keys(data.rules).sort(function (a, b) { return data.rules[b].count - data.rules[a].count || (a < b ? -1 : 1); });
  main.appendChild(el("h2", { text: t("By rule") }));
  var rulesTable = el("table", { id: "rules" }, el("thead", null, el("tr", null, el("th", { text: t("Rule") }),
    el("th", { text: t("Name") }), el("th", { text: t("Severity") }), el("th", { text: t("Findings") }),
    el("th", { text: t("What it means") }))));
  var rulesBody = el("tbody");
  codes.forEach(function (code) {
    var rule = data.rules[code];
    rulesBody.appendChild(el("tr", null, el("td", null, ruleLink(code)), el("td", { text: rule.name + (rule.fixable ? t(" [fixable]") : "") }),
      el("td", { className: "sev-" + rule.severity.split(",")[0], text: rule.severity.split(", ").map(function (s) { return t(s); }).join(", ") }), el("td", { className: "num", text: String(rule.count) }),
      el("td", { text: rule.summary })));
  });
  rulesTable.appendChild(rulesBody);
  main.appendChild(rulesTable);

  main.appendChild(el("h2", { text: t("Products") }));
  var controls = el("div", { className: "controls" });
  SEVERITIES.forEach(function (severity) {
    var box = el("input", { type: "checkbox", id: "show-" + severity });
    box.checked = true;
    box.addEventListener("change", function () { state.severities[severity] = box.checked; state.page = 0; draw(); });
    controls.appendChild(el("label", { className: "sev-" + severity }, box, " " + t(severity)));
  });
  var ruleSelect = el("select", { id: "rule-filter" }, el("option", { value: "", text: t("All rules") }));
  codes.forEach(function (code) {
    ruleSelect.appendChild(el("option", { value: code, text: code + " " + data.rules[code].name + " (" + data.rules[code].count + ")" }));
  });
  ruleSelect.addEventListener("change", function () { state.rule = ruleSelect.value; state.page = 0; draw(); });
  controls.appendChild(ruleSelect);
  var search = el("input", { type: "search", id: "search", placeholder: t("Search titles, product ids, SKUs, messages") });
  var timer = null;
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state.query = search.value.trim().toLowerCase(); state.page = 0; draw(); }, 150);
  });
  controls.appendChild(search);
  var status = el("span", { id: "status", className: "muted" });
  controls.appendChild(status);
  main.appendChild(controls);
  var pagerTop = el("div", { className: "pager" });
  var list = el("div", { id: "products" });
  var pagerBottom = el("div", { className: "pager" });
  main.appendChild(pagerTop);
  main.appendChild(list);
  main.appendChild(pagerBottom);

  main.appendChild(el("h2", { text: t("Rules explained") }));
  codes.forEach(function (code) {
    var rule = data.rules[code];
    main.appendChild(el("section", { className: "rule-doc", id: "rule-" + code },
      el("pre", { text: rule.doc || (code + " " + rule.name) })));
  });

  // [file, product id, title, row, thumbnails, [[code, severity, row, column, field, message, sku, fix]]];
  // column, field and message are indexes into data.strings.
  var haystacks = new Array(data.products.length);
  function haystack(i) {
    if (haystacks[i] === undefined) {
      var p = data.products[i];
      var parts = [p[1], p[2]];
      p[5].forEach(function (d) { parts.push(d[0], data.strings[d[5]], d[6]); });
      haystacks[i] = parts.join("\u0001").toLowerCase();
    }
    return haystacks[i];
  }
  function visibleDiags(p) {
    return p[5].filter(function (d) {
      return state.severities[SEVERITIES[d[1]]] && (!state.rule || d[0] === state.rule);
    });
  }

  function where(product, d) {
    var parts = [];
    var file = data.files[product[0]];
    if (data.files.length > 1 || file.indexOf(" [") >= 0) { parts.push(file); }
    if (d[2] !== null) { parts.push(t("row {row}", { row: d[2] })); }
    var column = data.strings[d[3]], field = data.strings[d[4]];
    if (column) { parts.push(t("column {column}", { column: column }) + (field && field !== column ? " (" + field + ")" : "")); }
    return parts.join(", ");
  }

  function drawProduct(product, diags) {
    var thumbs = el("div", { className: "thumbs" });
    product[4].forEach(function (index) { thumbs.appendChild(el("img", { src: data.thumbs[index], alt: "", loading: "lazy" })); });
    var heading = el("div", null,
      el("div", { className: "title", text: product[2] || (product[1] ? "" : t("Whole file")) }),
      el("div", { className: "muted", text: (product[1] ? t("Product {product}", { product: product[1] }) : "") +
        (product[3] !== null ? (product[1] ? ", " : "") + t("row {row}", { row: product[3] }) : "") + " \u2014 " +
        data.files[product[0]] }));
    var table = el("table", { className: "diags" });
    diags.forEach(function (d) {
      var severity = SEVERITIES[d[1]];
      var message = el("td", null, data.strings[d[5]]);
      if (d[6]) { message.appendChild(el("span", { className: "muted", text: " (SKU " + d[6] + ")" })); }
      if (d[7] !== null) { message.appendChild(el("div", { className: "fix", text: t("Fix: \u201c{value}\u201d", { value: d[7] }) })); }
      table.appendChild(el("tr", { className: "diag" },
        el("td", null, el("span", { className: "badge sev-" + severity, text: t(severity) })),
        el("td", null, ruleLink(d[0])), el("td", { className: "where", text: where(product, d) }), message));
    });
    return el("article", { className: "product" }, el("div", { className: "product-head" }, thumbs, heading), table);
  }

  function drawPager(pager, pages) {
    while (pager.firstChild) { pager.removeChild(pager.firstChild); }
    if (pages <= 1) { return; }
    var previous = el("button", { type: "button", text: t("\u2190 Previous") });
    previous.disabled = state.page === 0;
    previous.addEventListener("click", function () { state.page -= 1; draw(); });
    var next = el("button", { type: "button", text: t("Next \u2192") });
    next.disabled = state.page >= pages - 1;
    next.addEventListener("click", function () { state.page += 1; draw(); });
    pager.appendChild(previous);
    pager.appendChild(el("span", { className: "page-number", text: t("Page {page} of {pages}", { page: state.page + 1, pages: pages }) }));
    pager.appendChild(next);
  }

  function draw() {
    var matches = [];
    var findings = 0;
    for (var i = 0; i < data.products.length; i++) {
      var diags = visibleDiags(data.products[i]);
      if (!diags.length || (state.query && haystack(i).indexOf(state.query) < 0)) { continue; }
      matches.push([i, diags]);
      findings += diags.length;
    }
    var pages = Math.max(1, Math.ceil(matches.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    status.textContent = t("{products}, {findings} shown",
      { products: plural(matches.length, "product"), findings: plural(findings, "finding") });
    var fragment = document.createDocumentFragment();
    matches.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE).forEach(function (m) {
      fragment.appendChild(drawProduct(data.products[m[0]], m[1]));
    });
    while (list.firstChild) { list.removeChild(list.firstChild); }
    list.appendChild(fragment);
    drawPager(pagerTop, pages);
    drawPager(pagerBottom, pages);
  }
  draw();
  document.body.setAttribute("data-ready", "true");
})();
