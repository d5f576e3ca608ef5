/* The search page: substring matching over the build's index (data/search.js), offline.
   Every word typed must occur in the OA number, the title or the unit's name. Results are
   built as DOM nodes with textContent: ledger text is never parsed as HTML. */
(function () {
  "use strict";
  var LIMIT = 200;
  var index = window.KAOPING_SEARCH || { units: {}, records: [] };
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var rows = index.records.map(function (r) {
    var name = (index.units[r[0]] || {})[r[2]] || r[2];
    return { year: r[0], month: r[1], unit: r[2], oa: r[3], title: r[4], anchor: r[5],
             name: name, text: (r[3] + "\n" + r[4] + "\n" + name).toLowerCase() };
  });

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function link(href, text, cls) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    if (cls) { a.className = cls; }
    return a;
  }

  function show(query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    list.textContent = "";
    list.setAttribute("data-query", query);   /* what the list shows results of */
    if (!words.length) { status.textContent = "请输入查找内容。"; return; }
    var found = rows.filter(function (r) {
      return words.every(function (w) { return r.text.indexOf(w) !== -1; });
    });
    status.textContent = found.length ? "找到 " + found.length + " 条记录" +
      (found.length > LIMIT ? "，显示前 " + LIMIT + " 条，请增加查找词语。" : "。")
      : "没有找到符合条件的记录。";
    found.slice(0, LIMIT).forEach(function (r) {
      var li = document.createElement("li");
      var oa = document.createElement("code");
      oa.className = "oa";
      oa.textContent = r.oa;
      li.appendChild(oa);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(link(r.year + "/units/" + r.unit + ".html#" + r.anchor,
                          "《" + r.title + "》", "record"));
      li.appendChild(document.createTextNode("　" + r.name + "　"));
      li.appendChild(link(r.year + "/" + pad(r.month) + ".html",
                          r.year + "年" + r.month + "月通报", "bulletin"));
      list.appendChild(li);
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { show(input.value); }, 120);
  });
  input.form.addEventListener("submit", function (e) { e.preventDefault(); show(input.value); });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; }
  show(input.value);
})();
