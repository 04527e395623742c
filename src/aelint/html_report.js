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

  function plural(n, word) { return n + " " + word + (n === 1 || word === "info" ? "" : "s"); }
  function ruleLink(code) { return el("a", { href: "#rule-" + code, text: code }); }

  var summary = data.summary;
  var header = el("header", null,
    el("h1", { text: "aelint report" }),
    el("div", { className: "muted", text: data.files.join(", ") + " \u2014 " + summary.products + " products, " +
      summary.rows + " rows, " + plural(summary.files, "file") + " (aelint " + data.tool.version + ")" }));
  var counts = el("div", { className: "counts" });
  SEVERITIES.forEach(function (severity) {
    counts.appendChild(el("div", { className: "count " + severity },
      el("b", { text: String(summary[severity]) }), plural(summary[severity], severity).replace(/^\d+ /, "")));
  });
  header.appendChild(counts);
  var notes = [];
  if (summary.fixed) { notes.push(summary.fixed + " fixed in the corrected copy."); }
  else if (summary.fixable) { notes.push(summary.fixable + " can be fixed automatically: run aelint with --fix to get a corrected copy."); }
  if (summary.baseline_known !== null) {
    notes.push(summary.baseline_known + " known findings hidden by the baseline; " + summary.baseline_resolved +
      " fixed since the baseline.");
  }
  summary.failures.forEach(function (failure) { notes.push("Could not read: " + failure); });
  notes.forEach(function (note) { header.appendChild(el("p", { className: "notes", text: note })); });
  header.appendChild(el("p", { className: "muted", text: "Errors will get a listing rejected or penalised; " +
    "warnings hurt review or ranking and should be fixed; info is advice." }));
  document.body.appendChild(header);

  var main = el("main");
  document.body.appendChild(main);
  var codes = Object.keys(data.rules).sort(function (a, b) { return data.rules[b].count - data.rules[a].count || (a < b ? -1 : 1); });
  main.appendChild(el("h2", { text: "By rule" }));
  var rulesTable = el("table", { id: "rules" }, el("thead", null, el("tr", null, el("th", { text: "Rule" }),
    el("th", { text: "Name" }), el("th", { text: "Severity" }), el("th", { text: "Findings" }),
    el("th", { text: "What it means" }))));
  var rulesBody = el("tbody");
  codes.forEach(function (code) {
    var rule = data.rules[code];
    rulesBody.appendChild(el("tr", null, el("td", null, ruleLink(code)), el("td", { text: rule.name + (rule.fixable ? " [fixable]" : "") }),
      el("td", { className: "sev-" + rule.severity.split(",")[0], text: rule.severity }), el("td", { className: "num", text: String(rule.count) }),
      el("td", { text: rule.summary })));
  });
  rulesTable.appendChild(rulesBody);
  main.appendChild(rulesTable);

  main.appendChild(el("h2", { text: "Products" }));
  var controls = el("div", { className: "controls" });
  SEVERITIES.forEach(function (severity) {
    var box = el("input", { type: "checkbox", id: "show-" + severity });
    box.checked = true;
    box.addEventListener("change", function () { state.severities[severity] = box.checked; state.page = 0; draw(); });
    controls.appendChild(el("label", { className: "sev-" + severity }, box, " " + severity));
  });
  var ruleSelect = el("select", { id: "rule-filter" }, el("option", { value: "", text: "All rules" }));
  codes.forEach(function (code) {
    ruleSelect.appendChild(el("option", { value: code, text: code + " " + data.rules[code].name + " (" + data.rules[code].count + ")" }));
  });
  ruleSelect.addEventListener("change", function () { state.rule = ruleSelect.value; state.page = 0; draw(); });
  controls.appendChild(ruleSelect);
  var search = el("input", { type: "search", id: "search", placeholder: "Search titles, product ids, SKUs, messages" });
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

  main.appendChild(el("h2", { text: "Rules explained" }));
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
    if (d[2] !== null) { parts.push("row " + d[2]); }
    var column = data.strings[d[3]], field = data.strings[d[4]];
    if (column) { parts.push("column " + column + (field && field !== column ? " (" + field + ")" : "")); }
    return parts.join(", ");
  }

  function drawProduct(product, diags) {
    var thumbs = el("div", { className: "thumbs" });
    product[4].forEach(function (index) { thumbs.appendChild(el("img", { src: data.thumbs[index], alt: "", loading: "lazy" })); });
    var heading = el("div", null,
      el("div", { className: "title", text: product[2] || (product[1] ? "" : "Whole file") }),
      el("div", { className: "muted", text: (product[1] ? "Product " + product[1] : "") +
        (product[3] !== null ? (product[1] ? ", " : "") + "row " + product[3] : "") + " \u2014 " + data.files[product[0]] }));
    var table = el("table", { className: "diags" });
    diags.forEach(function (d) {
      var severity = SEVERITIES[d[1]];
      var message = el("td", null, data.strings[d[5]]);
      if (d[6]) { message.appendChild(el("span", { className: "muted", text: " (SKU " + d[6] + ")" })); }
      if (d[7] !== null) { message.appendChild(el("div", { className: "fix", text: "Fix: \u201c" + d[7] + "\u201d" })); }
      table.appendChild(el("tr", { className: "diag" },
        el("td", null, el("span", { className: "badge sev-" + severity, text: severity })),
        el("td", null, ruleLink(d[0])), el("td", { className: "where", text: where(product, d) }), message));
    });
    return el("article", { className: "product" }, el("div", { className: "product-head" }, thumbs, heading), table);
  }

  function drawPager(pager, pages) {
    while (pager.firstChild) { pager.removeChild(pager.firstChild); }
    if (pages <= 1) { return; }
    var previous = el("button", { type: "button", text: "\u2190 Previous" });
    previous.disabled = state.page === 0;
    previous.addEventListener("click", function () { state.page -= 1; draw(); });
    var next = el("button", { type: "button", text: "Next \u2192" });
    next.disabled = state.page >= pages - 1;
    next.addEventListener("click", function () { state.page += 1; draw(); });
    pager.appendChild(previous);
    pager.appendChild(el("span", { className: "page-number", text: "Page " + (state.page + 1) + " of " + pages }));
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
    status.textContent = plural(matches.length, "product") + ", " + plural(findings, "finding") + " shown";
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
