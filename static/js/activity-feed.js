/* CivicPulse live activity: keeps feed sections and the notification bell current.
 *
 * Progressive enhancement: the server renders the latest entries as a plain
 * list (with pagination), and the bell with its unread count. This script
 * adds live updates over a websocket. Websocket delivery is best-effort, so
 * every time a socket (re)opens the feed asks GET /api/activity?after=<newest
 * id it shows> for what it missed; nothing shown is ever lost, only late.
 * Reconnects back off exponentially with jitter so a restarted server is not
 * hit by every client at once.
 */
(function () {
  "use strict";

  var BACKOFF_FIRST_MS = 1000;
  var BACKOFF_MAX_MS = 30000;
  var MAX_ITEMS = 200;
  var MAX_CATCH_UP_ROUNDS = 10;
  // Catch-up starts this many entries below the newest shown: ids are given
  // out when a transaction starts but become visible when it commits, so a
  // slightly older id can appear after a newer one. Re-reading a few recent
  // entries (duplicates are skipped) closes that gap.
  var CATCH_UP_OVERLAP = 10;

  function socketUrl(path) {
    return (window.location.protocol === "https:" ? "wss://" : "ws://") +
      window.location.host + path;
  }

  function safeHref(url) {
    if (typeof url !== "string") return null;
    if (url.charAt(0) === "/" && url.charAt(1) !== "/") return url;
    if (/^https?:\/\//i.test(url)) return url;
    return null;
  }

  /* A websocket that reconnects by itself.
   * handlers: open(), message(obj), down(), refused(code). A close code in
   * 4000-4999 is the server saying "not for you" (e.g. 4401 not signed in):
   * retrying would not help, so it stops. */
  function LiveSocket(path, handlers) {
    this.path = path;
    this.handlers = handlers;
    this.socket = null;
    this.timer = null;
    this.failures = 0;
    this.paused = false;
    this.stopped = false;
    var self = this;
    window.addEventListener("offline", function () { self.pause(); });
    window.addEventListener("online", function () { self.resume(); });
  }

  LiveSocket.prototype.connect = function () {
    if (this.stopped || this.paused || this.socket) return;
    var self = this;
    var socket;
    try {
      socket = new WebSocket(socketUrl(this.path));
    } catch (error) {
      this.retryLater();
      return;
    }
    this.socket = socket;
    socket.onopen = function () {
      self.failures = 0;
      self.handlers.open();
    };
    socket.onmessage = function (event) {
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (message && typeof message === "object") self.handlers.message(message);
    };
    socket.onclose = function (event) {
      if (self.socket !== socket) return;
      self.socket = null;
      if (event.code >= 4000 && event.code < 5000) {
        self.stopped = true;
        self.handlers.refused(event.code);
        return;
      }
      self.handlers.down();
      self.retryLater();
    };
  };

  /* Exponential backoff with "equal jitter": half the delay is fixed so a
   * client never hammers, half is random so clients spread out. */
  LiveSocket.prototype.retryLater = function () {
    if (this.stopped || this.paused || this.timer) return;
    var ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * Math.pow(2, this.failures));
    var delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.failures += 1;
    var self = this;
    this.timer = window.setTimeout(function () {
      self.timer = null;
      self.connect();
    }, delay);
  };

  LiveSocket.prototype.pause = function () {
    this.paused = true;
    if (this.timer) {
      window.clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.socket) {
      var socket = this.socket;
      this.socket = null;
      socket.close();
    }
    if (!this.stopped) this.handlers.down();
  };

  LiveSocket.prototype.resume = function () {
    this.paused = false;
    this.failures = 0;
    this.connect();
  };

  function getJson(url) {
    return window.fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  /* ---- Feed sections ---------------------------------------------------- */

  var STATUS_TEXT = {
    connecting: "Connecting to live updates…",
    live: "Live: new activity appears automatically",
    offline: "Offline: reconnecting…",
  };

  function Feed(section) {
    this.section = section;
    this.list = section.querySelector("[data-feed-list]");
    if (!this.list) return;
    this.empty = section.querySelector("[data-feed-empty]");
    this.status = section.querySelector("[data-feed-status]");
    this.statusText = section.querySelector("[data-feed-status-text]");
    this.catchUpUrl = section.getAttribute("data-catch-up");
    this.showNeighborhood = section.getAttribute("data-show-neighborhood") === "true";
    this.newestId = parseInt(section.getAttribute("data-newest-id"), 10) || 0;
    this.catchingUp = false;
    this.catchUpAgain = false;
    try {
      this.labels = JSON.parse(section.getAttribute("data-kind-labels") || "{}");
    } catch (error) {
      this.labels = {};
    }
    var timeZone = section.getAttribute("data-time-zone") || undefined;
    try {
      this.timeFormat = new Intl.DateTimeFormat("en-US", {
        month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZone: timeZone,
      });
    } catch (error) {
      this.timeFormat = new Intl.DateTimeFormat("en-US", {
        month: "short", day: "numeric", hour: "numeric", minute: "2-digit",
      });
    }
    var self = this;
    this.socket = new LiveSocket(section.getAttribute("data-socket"), {
      open: function () {
        self.setStatus("live");
        self.catchUp();
      },
      message: function (message) { self.add(message, true); },
      down: function () { self.setStatus("offline"); },
      refused: function () { self.setStatus("offline"); },
    });
    this.setStatus(navigator.onLine === false ? "offline" : "connecting");
    this.socket.connect();
  }

  Feed.prototype.setStatus = function (state) {
    if (!this.status) return;
    if (this.status.getAttribute("data-state") === state && !this.status.hidden) return;
    this.status.setAttribute("data-state", state);
    this.statusText.textContent = STATUS_TEXT[state];
    this.status.hidden = false;
    this.section.setAttribute("data-live-state", state);
  };

  /* Fetch everything newer than what is shown, page by page. Runs on every
   * (re)connect, including the first: events published between the server
   * rendering the page and the socket opening arrive this way. */
  Feed.prototype.catchUp = function (round, after) {
    round = round || 0;
    if (this.catchingUp && round === 0) {
      this.catchUpAgain = true;
      return;
    }
    this.catchingUp = true;
    // A busy live region holds its announcements until the batch is in.
    this.list.setAttribute("aria-busy", "true");
    if (after === undefined) after = this.catchUpStart();
    var self = this;
    var separator = this.catchUpUrl.indexOf("?") === -1 ? "?" : "&";
    getJson(this.catchUpUrl + separator + "after=" + after)
      .then(function (body) {
        var results = body.results || [];
        results.forEach(function (message) { self.add(message, true); });
        self.catchUpFailures = 0;
        if (body.more && results.length && round + 1 < MAX_CATCH_UP_ROUNDS) {
          self.catchUp(round + 1, results[results.length - 1].id);
          return;
        }
        self.finishCatchUp();
      })
      .catch(function () {
        self.finishCatchUp();
        // Try again a little later while connected; a reconnect also retries.
        self.catchUpFailures = (self.catchUpFailures || 0) + 1;
        if (self.catchUpFailures <= 3) {
          window.setTimeout(function () {
            if (self.socket.socket) self.catchUp();
          }, 2000 * self.catchUpFailures);
        }
      });
  };

  Feed.prototype.catchUpStart = function () {
    var items = this.list ? this.list.children : [];
    if (items.length <= CATCH_UP_OVERLAP) {
      // A short list is the whole history (or nothing at all): ask from the start.
      return 0;
    }
    var id = parseInt(items[CATCH_UP_OVERLAP].getAttribute("data-activity-id"), 10);
    return isNaN(id) ? this.newestId : id;
  };

  Feed.prototype.finishCatchUp = function () {
    this.catchingUp = false;
    if (this.catchUpAgain) {
      this.catchUpAgain = false;
      this.catchUp();
      return;
    }
    this.list.setAttribute("aria-busy", "false");
  };

  Feed.prototype.add = function (message, isNew) {
    var id = message.id;
    if (typeof id !== "number" || !this.list) return;
    if (this.list.querySelector('[data-activity-id="' + id + '"]')) return;
    var item = this.render(message);
    if (isNew) item.classList.add("activity-item--new");
    // Keep newest first even when a live message overtakes the catch-up.
    var before = null;
    var children = this.list.children;
    for (var i = 0; i < children.length; i += 1) {
      if (parseInt(children[i].getAttribute("data-activity-id"), 10) < id) {
        before = children[i];
        break;
      }
    }
    this.list.insertBefore(item, before);
    while (this.list.children.length > MAX_ITEMS) {
      this.list.removeChild(this.list.lastElementChild);
    }
    if (id > this.newestId) {
      this.newestId = id;
      this.section.setAttribute("data-newest-id", String(id));
    }
    if (this.empty) this.empty.hidden = true;
  };

  Feed.prototype.render = function (message) {
    var item = document.createElement("li");
    item.className = "activity-item";
    item.id = "activity-" + message.id;
    item.setAttribute("data-activity-id", String(message.id));

    var summary = document.createElement("p");
    summary.className = "activity-item__summary";
    var href = safeHref(message.url);
    if (href) {
      var link = document.createElement("a");
      link.href = href;
      link.textContent = message.summary || "";
      summary.appendChild(link);
    } else {
      summary.textContent = message.summary || "";
    }
    item.appendChild(summary);

    var meta = document.createElement("p");
    meta.className = "activity-item__meta";
    var kind = document.createElement("span");
    kind.className = "activity-item__kind";
    kind.textContent = this.labels[message.kind] || message.kind || "";
    meta.appendChild(kind);
    if (message.actor) {
      var actor = document.createElement("span");
      actor.className = "activity-item__actor";
      actor.textContent = "by " + message.actor;
      meta.appendChild(actor);
    }
    if (this.showNeighborhood && message.neighborhood && message.neighborhood.name) {
      var place = document.createElement("span");
      place.className = "activity-item__place";
      place.textContent = "in " + message.neighborhood.name;
      meta.appendChild(place);
    }
    var when = new Date(message.created);
    if (!isNaN(when.getTime())) {
      var time = document.createElement("time");
      time.setAttribute("datetime", message.created);
      time.textContent = this.timeFormat.format(when);
      meta.appendChild(time);
    }
    item.appendChild(meta);
    return item;
  };

  /* ---- Notification bell ------------------------------------------------ */

  function Bell(link) {
    this.link = link;
    this.count = parseInt(link.getAttribute("data-unread"), 10) || 0;
    this.badge = link.querySelector("[data-bell-count]");
    this.label = link.querySelector("[data-bell-label]");
    this.announcer = link.parentNode.querySelector("[data-bell-announce]");
    this.unreadUrl = link.getAttribute("data-unread-url");
    var self = this;
    this.socket = new LiveSocket(link.getAttribute("data-socket"), {
      open: function () { self.refresh(); },
      message: function (message) {
        self.show(self.count + 1);
        if (self.refreshing) self.stale = true;
        if (self.announcer) {
          self.announcer.textContent = "New notification: " + (message.summary || "");
        }
      },
      down: function () {},
      refused: function () {},
    });
    this.socket.connect();
  }

  /* After a (re)connect the count may be stale: notifications arrived while
   * offline, or were read in another tab. */
  Bell.prototype.refresh = function (round) {
    var self = this;
    round = round || 0;
    this.refreshing = true;
    this.stale = false;
    getJson(this.unreadUrl).then(function (body) {
      self.refreshing = false;
      // A notification that arrived meanwhile may or may not be in this
      // count: ask once more rather than guess.
      if (self.stale && round < 2) {
        self.refresh(round + 1);
        return;
      }
      if (typeof body.unread === "number") self.show(body.unread);
    }).catch(function () {
      self.refreshing = false;
    });
  };

  Bell.prototype.show = function (count) {
    this.count = count;
    this.link.setAttribute("data-unread", String(count));
    if (this.badge) {
      this.badge.textContent = String(count);
      this.badge.hidden = count === 0;
    }
    if (this.label) {
      this.label.textContent = count ? "Notifications, " + count + " unread" : "Notifications";
    }
  };

  function start() {
    if (!("WebSocket" in window) || !window.fetch) return;
    var sections = document.querySelectorAll("[data-activity-feed][data-socket]");
    for (var i = 0; i < sections.length; i += 1) new Feed(sections[i]);
    var bell = document.querySelector("[data-notification-bell]");
    if (bell) new Bell(bell);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
