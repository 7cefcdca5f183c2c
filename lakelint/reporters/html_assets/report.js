
/* lakelint's HTML report: draws the totals, the charts and the findings table from the JSON document
   in #lakelint-data. Every piece of report text is set with textContent (never as HTML), and table
   rows are rendered a page at a time as the reader scrolls, so a very large report opens quickly. */
(function () {
  "use strict";

  var PAGE = 200; // table rows rendered at a time
  var CHART_ROWS = 15; // bars shown before "show all"
  var SEVERITIES = ["high", "medium", "low"];
  var UNVERIFIABLE = 1, SUPPRESSED = 2, LIVE = 4, IN_FILE = 8;
  var TABS = [
    { id: "findings", label: "Findings" },
    { id: "cne", label: "Could not evaluate" },
    { id: "suppressed", label: "Suppressed" }
  ];
  var CATEGORY_NAMES = { high: "high", medium: "medium", low: "low", cne: "could not evaluate" };

  var $ = function (id) { return document.getElementById(id); };
  var SVG_NS = $("svg-namespace").namespaceURI;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    return node;
  }

  function plural(n, word) { return fmt(n) + " " + word + (n === 1 ? "" : "s"); }

  function fmt(n) { return n.toLocaleString("en-US"); }

  function compareText(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  // -- the data ----------------------------------------------------------------------------------

  var data = JSON.parse($("lakelint-data").textContent);
  var S = data.strings;
  var meta = data.meta;
  var FI = {}, EI = {};
  data.fields.forEach(function (name, i) { FI[name] = i; });
  data.error_fields.forEach(function (name, i) { EI[name] = i; });
  var accounts = data.accounts || {};

  var items = [];
  data.findings.forEach(function (r, index) {
    var flags = r[FI.flags];
    var rtype = S[r[FI.resource_type]];
    var unverifiable = !!(flags & UNVERIFIABLE);
    var suppressed = !!(flags & SUPPRESSED);
    items.push({
      index: index,
      kind: unverifiable ? "unverifiable" : "fail",
      tab: suppressed ? "suppressed" : unverifiable ? "cne" : "findings",
      suppressed: suppressed,
      live: !!(flags & LIVE),
      whereKind: flags & IN_FILE ? "file" : "account",
      check: S[r[FI.check]] || "",
      name: S[r[FI.name]] || "",
      severity: S[r[FI.severity]] || "",
      message: S[r[FI.message]] || "",
      resource: S[r[FI.resource]] || "",
      rtype: rtype || "",
      service: (rtype && data.services[rtype]) || "",
      where: S[r[FI.where]] || "",
      line: r[FI.line],
      column: r[FI.column],
      region: S[r[FI.region]] || "",
      arn: S[r[FI.arn]] || "",
      condition: S[r[FI.condition]] || "",
      reason: S[r[FI.suppression_reason]] || ""
    });
  });
  data.errors.forEach(function (r, index) {
    var file = S[r[EI.file]], account = S[r[EI.account]];
    items.push({
      index: data.findings.length + index,
      kind: "error",
      tab: "cne",
      suppressed: false,
      live: !file,
      whereKind: file ? "file" : "account",
      check: S[r[EI.check]] || "",
      name: "",
      severity: "error",
      message: S[r[EI.message]] || "",
      resource: S[r[EI.resource]] || "",
      rtype: "",
      service: "",
      where: file || account || "",
      line: r[EI.line],
      column: r[EI.column],
      region: S[r[EI.region]] || "",
      arn: "",
      condition: "",
      reason: "",
      apiCall: S[r[EI.api_call]] || "",
      iamAction: S[r[EI.iam_action]] || ""
    });
  });

  // the chart category an active item counts in: its severity, or "could not evaluate"
  function category(item) {
    if (item.kind !== "fail") return "cne";
    return SEVERITIES.indexOf(item.severity) >= 0 ? item.severity : "low";
  }

  function whereLabel(item) {
    if (item.whereKind !== "account" || !item.where) return item.where;
    return accountLabel(item.where);
  }

  function accountLabel(id) {
    var info = accounts[id];
    return info && info.name ? id + " (" + info.name + ")" : id;
  }

  // what the report is about: files, accounts, or both
  var whereKinds = {};
  var regions = {};
  items.forEach(function (item) {
    if (item.where) whereKinds[item.whereKind] = true;
    if (item.region) regions[item.region] = true;
  });
  var dimension = whereKinds.file && whereKinds.account ? "account or file"
    : whereKinds.account ? "account" : whereKinds.file ? "file" : (meta.summary.files ? "file" : "account");
  var DimensionTitle = dimension.charAt(0).toUpperCase() + dimension.slice(1);

  // -- aggregates --------------------------------------------------------------------------------

  function tally(list, keyOf) {
    var groups = new Map();
    list.forEach(function (item) {
      var key = keyOf(item);
      if (!key) return;
      var group = groups.get(key);
      if (!group) groups.set(key, group = { key: key, high: 0, medium: 0, low: 0, cne: 0, total: 0 });
      group[category(item)] += 1;
      group.total += 1;
    });
    return Array.from(groups.values()).sort(worstFirst);
  }

  // the worst first: most high findings, then medium, low, could not evaluate; then by name
  function worstFirst(a, b) {
    return b.high - a.high || b.medium - a.medium || b.low - a.low || b.cne - a.cne || compareText(a.key, b.key);
  }

  var active = items.filter(function (item) { return !item.suppressed; });
  var byWhere = tally(active, function (item) { return item.where; });
  var whereRank = new Map();
  byWhere.forEach(function (group, rank) { whereRank.set(group.key, rank); });
  var accountCount = Object.keys(accounts).length;
  var regionCount = Object.keys(regions).length;
  var chartByRegion = dimension === "account" && byWhere.length <= 1 && regionCount > 1;

  // the table's order: errors first, then by severity, the worst account or file first, report order
  var SEVERITY_RANK = { error: 0, high: 1, medium: 2, low: 3 };
  items.sort(function (a, b) {
    var ra = SEVERITY_RANK[a.severity] === undefined ? 4 : SEVERITY_RANK[a.severity];
    var rb = SEVERITY_RANK[b.severity] === undefined ? 4 : SEVERITY_RANK[b.severity];
    var wa = whereRank.has(a.where) ? whereRank.get(a.where) : Infinity;
    var wb = whereRank.has(b.where) ? whereRank.get(b.where) : Infinity;
    return ra - rb || (wa === wb ? 0 : wa < wb ? -1 : 1) || a.index - b.index;
  });

  // -- header ------------------------------------------------------------------------------------

  function drawHeader() {
    var summary = meta.summary, policy = meta.policy;
    var scope = [];
    if (summary.files || dimension !== "account") scope.push(plural(summary.files, "file"));
    if (accountCount || dimension === "account") scope.push(plural(accountCount, "account"));
    if (regionCount) scope.push(plural(regionCount, "region"));
    scope.push(plural(summary.resources, "resource"));
    scope.push("lakelint " + meta.tool.version);
    scope.push("fail-on: " + policy.fail_on);
    scope.push("unverifiable: " + policy.unverifiable);
    $("scope").textContent = scope.join(" \u00b7 ");
    var notes = $("notes");
    function note(text, warn) { notes.appendChild(el("li", warn ? "warn" : "", text)); }
    if (summary.errors) {
      note("The run is incomplete: " + plural(summary.errors, "error") + " kept lakelint from judging everything. "
        + "They are listed under \u201cCould not evaluate\u201d.", true);
    }
    if (summary.unverifiable_ignored) {
      note(plural(summary.unverifiable_ignored, "unverifiable finding") + " left out of this report (unverifiable: ignore).", true);
    }
    if (summary.unverifiable && policy.unverifiable === "warn") {
      note("Unverifiable findings are reported but do not fail the run (unverifiable: warn).");
    }
    if (policy.baseline_known) {
      note(plural(policy.baseline_known, "finding") + " recorded in the baseline " + (policy.baseline || "")
        + " not shown.");
    }
  }

  // -- totals ------------------------------------------------------------------------------------

  function drawTotals() {
    var counts = { high: 0, medium: 0, low: 0, unverifiable: 0, errors: 0, suppressed: 0 };
    items.forEach(function (item) {
      if (item.suppressed) counts.suppressed += 1;
      else if (item.kind === "error") counts.errors += 1;
      else if (item.kind === "unverifiable") counts.unverifiable += 1;
      else counts[category(item)] += 1;
    });
    var box = $("totals");
    function card(cls, n, what, sub, onClick) {
      var button = el("button", "total " + cls);
      button.type = "button";
      button.id = "total-" + cls;
      button.appendChild(el("span", "n", fmt(n)));
      button.appendChild(el("span", "what", what));
      if (sub) button.appendChild(el("span", "sub", sub));
      button.addEventListener("click", onClick);
      box.appendChild(button);
    }
    var failing = counts.high + counts.medium + counts.low;
    if (!failing && !counts.unverifiable && !counts.errors) {
      var clean = el("div", "total clean");
      clean.id = "total-clean";
      clean.appendChild(el("span", "n", "0"));
      clean.appendChild(el("span", "what", "findings"));
      clean.appendChild(el("span", "sub", "All checks passed."));
      box.appendChild(clean);
    } else {
      SEVERITIES.forEach(function (severity) {
        card(severity, counts[severity], severity.charAt(0).toUpperCase() + severity.slice(1), "failing",
          function () { showTab("findings", { severity: severity }); });
      });
      card("cne", counts.unverifiable + counts.errors, "Could not evaluate",
        plural(counts.unverifiable, "unverifiable finding") + ", " + plural(counts.errors, "error"),
        function () { showTab("cne", {}); });
    }
    if (counts.suppressed) {
      card("suppressed", counts.suppressed, "Suppressed", "accepted, not counted", function () { showTab("suppressed", {}); });
    }
  }

  // -- charts ------------------------------------------------------------------------------------

  var CATEGORIES = ["high", "medium", "low", "cne"];

  function shorten(text, max) {
    if (text.length <= max) return text;
    var head = Math.floor((max - 1) / 3);
    return text.slice(0, head) + "\u2026" + text.slice(text.length - (max - 1 - head));
  }

  function drawChart(figureId, caption, groups, labelOf, onPick, emptyText, limit) {
    var figure = $(figureId);
    figure.querySelector("figcaption").textContent = caption;
    var body = figure.querySelector(".chart-body");
    body.replaceChildren();
    if (!groups.length) {
      body.appendChild(el("p", "empty", emptyText));
      return;
    }
    var shown = limit ? groups.slice(0, limit) : groups;
    var rowHeight = 22, labelWidth = 220, barWidth = 330, width = 620;
    var height = shown.length * rowHeight + 4;
    var max = Math.max.apply(null, shown.map(function (g) { return g.total; })) || 1;
    var chart = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", width: width, height: height });
    chart.setAttribute("aria-label", caption);
    shown.forEach(function (group, i) {
      var y = i * rowHeight + 2;
      var row = svg("g", { "class": "bar", tabindex: "0", role: "button" });
      row.dataset.key = group.key;
      var label = labelOf(group.key);
      var title = svg("title", {});
      title.textContent = label + ": " + CATEGORIES.filter(function (c) { return group[c]; })
        .map(function (c) { return group[c] + " " + CATEGORY_NAMES[c]; }).join(", ");
      row.appendChild(title);
      var text = svg("text", { "class": "label", x: 0, y: y + 14 });
      text.textContent = shorten(label, 34);
      row.appendChild(text);
      var x = labelWidth;
      CATEGORIES.forEach(function (c) {
        if (!group[c]) return;
        var w = Math.max(1, group[c] / max * barWidth);
        row.appendChild(svg("rect", { "class": "seg-" + c, x: x.toFixed(1), y: y + 3, width: w.toFixed(1), height: rowHeight - 7 }));
        x += w;
      });
      var num = svg("text", { "class": "num", x: (x + 6).toFixed(1), y: y + 14 });
      num.textContent = fmt(group.total);
      row.appendChild(num);
      if (onPick) {
        row.addEventListener("click", function () { onPick(group.key); });
        row.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); onPick(group.key); }
        });
      }
      chart.appendChild(row);
    });
    body.appendChild(chart);
    if (shown.length < groups.length) {
      var rest = el("p", "rest", "The " + shown.length + " worst of " + fmt(groups.length) + ". ");
      var all = el("button", "", "Show all " + fmt(groups.length));
      all.type = "button";
      all.addEventListener("click", function () { drawChart(figureId, caption, groups, labelOf, onPick, emptyText, 0); });
      rest.appendChild(all);
      body.appendChild(rest);
    }
  }

  function drawCharts() {
    var groupLabel = function (key) { return dimension === "file" ? key : whereLabelOf(key); };
    if (chartByRegion) {
      drawChart("chart-groups", "Findings per region (worst first)",
        tally(active, function (item) { return item.region; }), String, null, "No findings.", CHART_ROWS);
    } else {
      drawChart("chart-groups", "Findings per " + dimension + " (worst first)", byWhere, groupLabel,
        function (key) { pick({ where: key }); }, "No findings.", CHART_ROWS);
    }
    var byService = tally(active.filter(function (item) { return item.kind !== "error"; }),
      function (item) { return item.service || "other"; });
    drawChart("chart-services", "Findings per service", byService, String,
      function (key) { pick({ service: key === "other" ? "" : key }); }, "No findings.", CHART_ROWS);
    var legend = $("legend");
    CATEGORIES.forEach(function (c) {
      var item = el("li");
      item.appendChild(el("span", "swatch " + c));
      item.appendChild(document.createTextNode(c === "cne" ? "could not evaluate (unverifiable findings and errors; errors have no service)" : c));
      legend.appendChild(item);
    });
  }

  var whereIsAccount = {};
  items.forEach(function (item) { if (item.where && item.whereKind === "account") whereIsAccount[item.where] = true; });
  function whereLabelOf(key) { return whereIsAccount[key] ? accountLabel(key) : key; }

  // -- filters and the table ---------------------------------------------------------------------

  var state = { tab: "findings", severity: "", check: "", where: "", service: "", terms: [] };
  var rows = [], shownRows = 0;
  var controls = {
    severity: $("f-severity"), check: $("f-check"), where: $("f-where"), service: $("f-service"), text: $("f-text")
  };

  function fillSelect(select, entries) {
    select.appendChild(new Option("All", ""));
    entries.forEach(function (entry) { select.appendChild(new Option(entry[1], entry[0])); });
  }

  function counted(keyOf) {
    var counts = new Map();
    items.forEach(function (item) {
      var key = keyOf(item);
      if (key) counts.set(key, (counts.get(key) || 0) + 1);
    });
    return counts;
  }

  function drawFilters() {
    var severities = counted(function (item) { return item.severity; });
    fillSelect(controls.severity, ["error"].concat(SEVERITIES).filter(function (s) { return severities.has(s); })
      .map(function (s) { return [s, s + " (" + fmt(severities.get(s)) + ")"]; }));
    var checks = counted(function (item) { return item.check; });
    var names = {};
    items.forEach(function (item) { if (item.check && item.name) names[item.check] = item.name; });
    fillSelect(controls.check, Array.from(checks.keys()).sort(compareText).map(function (code) {
      var name = names[code] || (data.checks[code] && data.checks[code].name) || "";
      return [code, code + (name ? " " + name : "") + " (" + fmt(checks.get(code)) + ")"];
    }));
    var wheres = counted(function (item) { return item.where; });
    fillSelect(controls.where, Array.from(wheres.keys()).sort(compareText).map(function (key) {
      return [key, whereLabelOf(key) + " (" + fmt(wheres.get(key)) + ")"];
    }));
    var services = counted(function (item) { return item.service; });
    fillSelect(controls.service, Array.from(services.keys()).sort(compareText).map(function (key) {
      return [key, key + " (" + fmt(services.get(key)) + ")"];
    }));
    $("f-where-label").textContent = DimensionTitle;
    $("where-head").textContent = DimensionTitle;

    ["severity", "check", "where", "service"].forEach(function (key) {
      controls[key].addEventListener("change", function () { state[key] = controls[key].value; apply(); });
    });
    var timer = null;
    controls.text.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.terms = terms(controls.text.value); apply(); }, 120);
    });
    $("filters").addEventListener("submit", function (event) { event.preventDefault(); });
    $("filters").addEventListener("reset", function (event) {
      event.preventDefault(); // the filters are state: set every control from it, at once
      clearTimeout(timer);
      pick({ severity: "", check: "", where: "", service: "", text: "" }, true);
    });
  }

  function terms(text) { return text.toLowerCase().split(/\s+/).filter(Boolean); }

  function drawTabs() {
    var counts = counted(function (item) { return item.tab; });
    var bar = $("tabs");
    TABS.forEach(function (tab) {
      var button = el("button", "tab", tab.label + " (" + fmt(counts.get(tab.id) || 0) + ")");
      button.type = "button";
      button.id = "tab-" + tab.id;
      button.setAttribute("role", "tab");
      button.dataset.tab = tab.id;
      button.addEventListener("click", function () { showTab(tab.id, null); });
      bar.appendChild(button);
    });
  }

  // switch to a tab; ``filters`` (when given) replaces the select filters
  function showTab(tab, filters) {
    state.tab = tab;
    if (filters) pick(filters, true);
    else apply();
    $("list-title").scrollIntoView({ block: "start" });
  }

  // set filters (and the controls that show them), then apply
  function pick(filters, quiet) {
    ["severity", "check", "where", "service"].forEach(function (key) {
      if (key in filters || quiet) {
        state[key] = filters[key] || "";
        controls[key].value = state[key];
      }
    });
    if ("text" in filters) {
      controls.text.value = filters.text;
      state.terms = terms(filters.text);
    }
    apply();
    if (!quiet) $("list-title").scrollIntoView({ block: "start" });
  }

  function haystack(item) {
    if (item.hay === undefined) {
      var info = item.whereKind === "account" ? accounts[item.where] : null;
      item.hay = [item.check, item.name, item.severity, item.message, item.resource, item.rtype, item.service,
        item.where, info && info.name, info && info.ou, item.region, item.arn, item.condition, item.reason,
        item.apiCall, item.iamAction, item.kind === "fail" ? "" : item.kind].join("\n").toLowerCase();
    }
    return item.hay;
  }

  function matches(item) {
    if (item.tab !== state.tab) return false;
    if (state.severity && item.severity !== state.severity) return false;
    if (state.check && item.check !== state.check) return false;
    if (state.where && item.where !== state.where) return false;
    if (state.service && item.service !== state.service) return false;
    if (state.terms.length) {
      var hay = haystack(item);
      for (var i = 0; i < state.terms.length; i++) if (hay.indexOf(state.terms[i]) < 0) return false;
    }
    return true;
  }

  function apply() {
    Array.prototype.forEach.call($("tabs").children, function (button) {
      button.setAttribute("aria-selected", String(button.dataset.tab === state.tab));
    });
    rows = items.filter(matches);
    shownRows = 0;
    $("rows").replaceChildren();
    var inTab = 0;
    items.forEach(function (item) { if (item.tab === state.tab) inTab += 1; });
    var label = TABS.filter(function (t) { return t.id === state.tab; })[0].label.toLowerCase();
    $("count").textContent = (rows.length === inTab ? "Showing all " + fmt(inTab) : "Showing " + fmt(rows.length)
      + " of " + fmt(inTab)) + " (" + label + ")";
    if (!rows.length) {
      var tr = el("tr");
      var td = el("td", "none", inTab ? "Nothing matches the filters." : emptyText(state.tab));
      td.colSpan = 6;
      tr.appendChild(td);
      $("rows").appendChild(tr);
    }
    more();
  }

  function emptyText(tab) {
    if (tab === "cne") return "lakelint evaluated everything it was asked to.";
    if (tab === "suppressed") return "No finding is suppressed.";
    return "No failing findings.";
  }

  function more() {
    var fragment = document.createDocumentFragment();
    var end = Math.min(rows.length, shownRows + PAGE);
    for (var i = shownRows; i < end; i++) fragment.appendChild(row(rows[i]));
    shownRows = end;
    $("rows").appendChild(fragment);
    var left = rows.length - shownRows;
    $("more").hidden = left <= 0;
    $("more").textContent = "Show " + fmt(Math.min(PAGE, left)) + " more (" + fmt(left) + " not shown)";
  }

  function cell(tr, className, text, sub) {
    var td = el("td", className, text);
    if (sub) td.appendChild(el("span", "sub", sub));
    tr.appendChild(td);
    return td;
  }

  // text that may break after each "/" (a long path wraps at its folders, not mid-name)
  function breakable(node, text) {
    (text || "").split("/").forEach(function (part, i, parts) {
      node.appendChild(document.createTextNode(part + (i < parts.length - 1 ? "/" : "")));
      if (i < parts.length - 1) node.appendChild(document.createElement("wbr"));
    });
  }

  function row(item) {
    var tr = el("tr");
    var sev = cell(tr, "");
    sev.appendChild(el("span", "sev " + (item.kind === "error" ? "error" : item.severity), item.severity));
    if (item.kind === "unverifiable") {
      sev.appendChild(el("br"));
      sev.appendChild(el("span", "tag", "unverifiable"));
    }
    if (item.suppressed) {
      sev.appendChild(el("br"));
      sev.appendChild(el("span", "tag suppressed", "suppressed"));
    }
    var check = cell(tr, "");
    if (item.check) {
      var button = el("button", "check", item.check);
      button.type = "button";
      button.dataset.code = item.check;
      button.title = "Show the documentation of " + item.check;
      check.appendChild(button);
      if (item.name) check.appendChild(el("span", "sub", item.name));
    } else {
      check.textContent = "\u2014";
    }
    var message = cell(tr, "msg", item.message);
    if (item.condition) message.appendChild(el("span", "sub", "when " + item.condition));
    if (item.suppressed) message.appendChild(el("span", "sub", "suppressed: " + (item.reason || "no reason given")));
    if (item.apiCall || item.iamAction) {
      message.appendChild(el("span", "sub", [item.apiCall, item.iamAction && "needs " + item.iamAction].filter(Boolean).join(": ")));
    }
    var resource = cell(tr, "", item.resource, item.rtype);
    if (item.arn) resource.appendChild(el("span", "sub mono", item.arn));
    cell(tr, "", item.service);
    var where = cell(tr, "where");
    breakable(where, whereLabel(item));
    var place = [];
    if (item.line) place.push("line " + item.line + (item.column ? ", column " + item.column : ""));
    if (item.region) place.push(item.region);
    if (place.length) where.appendChild(el("span", "sub", place.join(" \u00b7 ")));
    var info = item.whereKind === "account" ? accounts[item.where] : null;
    if (info && info.ou) where.appendChild(el("span", "sub", info.ou));
    return tr;
  }

  // -- a check's documentation, on demand --------------------------------------------------------

  function prose(text) {
    var p = el("p", "prose");
    text.split("`").forEach(function (part, i) {
      if (i % 2) p.appendChild(el("code", "", part));
      else if (part) p.appendChild(document.createTextNode(part));
    });
    return p;
  }

  function link(url, text) {
    if (!/^https?:\/\//i.test(url)) return el("span", "", text);
    var a = el("a", "", text);
    a.href = url;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    return a;
  }

  function openDocs(code, opener) {
    var docs = data.checks[code];
    var body = $("docs-body");
    body.replaceChildren();
    var item = items.filter(function (i) { return i.check === code; })[0];
    var name = docs ? docs.name : item && item.name;
    var title = el("h2", "", code + (name ? " " + name : ""));
    title.id = "docs-title";
    body.appendChild(title);
    if (!docs) {
      body.appendChild(el("p", "", "This report holds no documentation for " + code + ": it is not one of the checks that ran."));
    } else {
      var head = el("p", "doc-title");
      head.appendChild(el("span", "sev " + docs.severity, docs.severity));
      head.appendChild(document.createTextNode(" " + docs.title));
      body.appendChild(head);
      if (docs.summary) body.appendChild(el("p", "summary", docs.summary));
      body.appendChild(el("h3", "", "Fix"));
      if (!docs.fix.length) body.appendChild(el("p", "", "The check's documentation has no Fix section."));
      docs.fix.forEach(function (block) {
        if (block[0] === "code") {
          var pre = el("pre");
          var codeNode = el("code", "", block[2]);
          if (block[1]) codeNode.dataset.lang = block[1];
          pre.appendChild(codeNode);
          body.appendChild(pre);
        } else {
          body.appendChild(prose(block[1]));
        }
      });
      if (docs.references.length) {
        body.appendChild(el("h3", "", "References"));
        var list = el("ul");
        docs.references.forEach(function (url) {
          var li = el("li");
          li.appendChild(link(url, url));
          list.appendChild(li);
        });
        body.appendChild(list);
      }
      if (docs.url) {
        var full = el("p");
        full.appendChild(link(docs.url, "The full documentation of " + code));
        body.appendChild(full);
      }
    }
    var panel = $("docs");
    panel.hidden = false;
    panel.opener = opener || null;
    $("docs-close").focus();
  }

  function closeDocs() {
    var panel = $("docs");
    if (panel.hidden) return;
    panel.hidden = true;
    if (panel.opener && panel.opener.isConnected) panel.opener.focus();
  }

  // -- start -------------------------------------------------------------------------------------

  drawHeader();
  drawTotals();
  drawCharts();
  drawTabs();
  drawFilters();
  apply();

  $("rows").addEventListener("click", function (event) {
    var button = event.target.closest("button.check");
    if (button) openDocs(button.dataset.code, button);
  });
  $("docs-close").addEventListener("click", closeDocs);
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") closeDocs(); });
  $("more").addEventListener("click", more);
  if ("IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; }) && shownRows < rows.length) more();
    }, { rootMargin: "600px" }).observe($("sentinel"));
  }
  document.documentElement.dataset.ready = "true";
})();
