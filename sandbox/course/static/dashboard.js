// The dashboard's live view: every 2 s, ask the service for the submissions recorded since the last one shown and
// the standings now; add the new submissions at the top of the list and redraw the score cells. Text only goes in
// through textContent (a learner id or a quiz id is never markup), and the request carries the hub's XSRF token.
(function () {
  "use strict";
  var PERIOD_MS = 2000;
  var body = document.body;
  var feedUrl = body.getAttribute("data-feed");
  var after = Number(body.getAttribute("data-after") || "0");
  var token = document.querySelector("meta[name=xsrf]").getAttribute("content");
  var feed = document.getElementById("feed");
  var live = document.getElementById("live");
  var table = document.querySelector("#standings tbody");
  var quizzes = Array.prototype.map.call(document.querySelectorAll("#standings thead th[data-quiz]"),
                                         function (th) { return th.getAttribute("data-quiz"); });

  function td(text, className) {
    var cell = document.createElement("td");
    cell.textContent = text;
    if (className) { cell.className = className; }
    return cell;
  }

  function points(x) { return String(Math.round(x * 10000) / 10000); }

  function drawCell(cell, s) {
    cell.textContent = "";
    if (!s.shown) {
      cell.className = "none";
      cell.textContent = "\u2014";
      return;
    }
    cell.className = "n";
    cell.appendChild(document.createTextNode(points(s.final)));
    if (s.note) {
      cell.appendChild(document.createElement("br"));
      var note = document.createElement("span");
      note.className = "muted";
      note.textContent = s.note;
      cell.appendChild(note);
    }
  }

  function rowOf(learner) {
    var rows = table.querySelectorAll("tr");
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute("data-learner") === learner) { return rows[i]; }
    }
    var tr = document.createElement("tr");
    tr.setAttribute("data-learner", learner);
    var th = document.createElement("th");
    th.setAttribute("scope", "row");
    th.textContent = learner + " ";
    var flag = document.createElement("span");
    flag.className = "flag";
    flag.textContent = "not on the roster";
    th.appendChild(flag);
    tr.appendChild(th);
    quizzes.forEach(function (quiz) {
      var cell = td("\u2014", "none");
      cell.setAttribute("data-quiz", quiz);
      tr.appendChild(cell);
    });
    table.appendChild(tr);
    return tr;
  }

  function show(data) {
    data.submissions.forEach(function (s) {
      var tr = document.createElement("tr");
      tr.appendChild(td(s.received_at || ""));
      tr.appendChild(td(s.learner));
      tr.appendChild(td(s.quiz));
      tr.appendChild(td(points(s.score) + "/" + points(s.max_score), "n"));
      tr.appendChild(td(s.source));
      feed.insertBefore(tr, feed.firstChild);
      after = Math.max(after, s.id);
    });
    Object.keys(data.standings).forEach(function (learner) {
      var tr = rowOf(learner);
      var row = data.standings[learner];
      tr.querySelectorAll("td[data-quiz]").forEach(function (cell) {
        var s = row[cell.getAttribute("data-quiz")];
        if (s) { drawCell(cell, s); }
      });
    });
  }

  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", feedUrl + "?after=" + after);
    request.setRequestHeader("X-XSRFToken", token);
    request.onload = function () {
      if (request.status === 200) {
        var data = JSON.parse(request.responseText);
        show(data);
        live.textContent = "Live: up to date at " + new Date().toLocaleTimeString() + ".";
        setTimeout(poll, data.submissions.length ? 0 : PERIOD_MS);
      } else {
        live.textContent = "Live view paused: the service answered " + request.status + "; trying again.";
        setTimeout(poll, PERIOD_MS * 5);
      }
    };
    request.onerror = function () {
      live.textContent = "Live view paused: the service cannot be reached; trying again.";
      setTimeout(poll, PERIOD_MS * 5);
    };
    request.send();
  }

  setTimeout(poll, PERIOD_MS);
}());
