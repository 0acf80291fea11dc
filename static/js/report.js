/* Report a problem: category filter, pin placement, address search,
   "use my location" and live duplicate suggestions. Everything also works
   without this script (plain form posts); this only makes it quicker. */
(function () {
  "use strict";

  // --- Step 1: narrow the category list as the resident types ----------------
  var filter = document.querySelector("[data-category-filter]");
  if (filter) {
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-category]"));
    var groups = Array.prototype.slice.call(document.querySelectorAll("[data-category-group]"));
    var count = document.querySelector("[data-category-count]");
    var apply = function () {
      var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (li) {
        var text = li.getAttribute("data-search");
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        li.hidden = !match;
        if (match) shown += 1;
      });
      groups.forEach(function (g) {
        g.hidden = !g.querySelector("[data-category]:not([hidden])");
      });
      if (count) count.textContent = words.length ? shown + " matching categor" + (shown === 1 ? "y" : "ies") : "";
    };
    filter.addEventListener("input", apply);
    filter.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); var first = document.querySelector("[data-category]:not([hidden]) input"); if (first) first.focus(); }
    });
    apply();
  }

  // --- Step 2: the place -----------------------------------------------------
  var form = document.querySelector("[data-report-form]");
  if (!form) return;
  var latInput = form.querySelector("#id_lat");
  var longInput = form.querySelector("#id_long");
  var addressInput = form.querySelector("#id_address");
  var pinStatus = form.querySelector("[data-pin-status]");
  var nearbyBox = form.querySelector("[data-nearby]");
  var nearbyList = form.querySelector("[data-nearby-list]");
  var results = form.querySelector("[data-geocode-results]");
  var serviceCode = form.querySelector("input[name=service]").value;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var map = null, marker = null;

  function setPin(lat, lon, label) {
    latInput.value = lat.toFixed(6);
    longInput.value = lon.toFixed(6);
    if (map) {
      if (marker) marker.setLatLng([lat, lon]); else marker = L.marker([lat, lon], { keyboard: false }).addTo(map);
      map.setView([lat, lon], Math.max(map.getZoom(), 16));
    }
    pinStatus.textContent = "Pin placed" + (label ? " at " + label : "") + " (" + lat.toFixed(5) + ", " + lon.toFixed(5) + ").";
    checkNearby(lat, lon);
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function checkNearby(lat, lon) {
    var url = form.getAttribute("data-nearby-url") + "?service=" + encodeURIComponent(serviceCode) + "&lat=" + lat + "&lon=" + lon;
    fetch(url, { headers: { Accept: "application/json" } }).then(function (r) { return r.ok ? r.json() : { results: [] }; }).then(function (data) {
      nearbyList.textContent = "";
      data.results.forEach(function (n) {
        var li = el("li");
        li.appendChild(el("a", { href: n.url }, n.service_name + " · " + n.public_id));
        li.appendChild(el("span", { "class": "meta" }, n.distance_m + " m away · " + n.support_count + " support" + (n.support_count === 1 ? "" : "s")));
        if (n.description) li.appendChild(el("span", { "class": "meta" }, n.description));
        var support = el("form", { method: "post", action: n.url + "support/" });
        var token = el("input", { type: "hidden", name: "csrfmiddlewaretoken", value: csrf });
        var button = el("button", { type: "submit", "class": "button button--small" }, "Add my support");
        support.appendChild(token); support.appendChild(button);
        li.appendChild(support);
        nearbyList.appendChild(li);
      });
      nearbyBox.hidden = data.results.length === 0;
    }).catch(function () { /* suggestions are a help, never a blocker */ });
  }

  window.civicReportMap = function (leafletMap) {
    map = leafletMap;
    var lat = parseFloat(latInput.value), lon = parseFloat(longInput.value);
    if (!isNaN(lat) && !isNaN(lon)) { marker = L.marker([lat, lon], { keyboard: false }).addTo(map); map.setView([lat, lon], 16); }
    map.getContainer().setAttribute("aria-describedby", "map-help");
    map.on("click", function (e) { setPin(e.latlng.lat, e.latlng.lng, null); });
  };

  var geocodeButton = form.querySelector("[data-geocode]");
  geocodeButton.hidden = false;
  geocodeButton.addEventListener("click", function () {
    var q = addressInput.value.trim();
    results.textContent = "";
    if (q.length < 3) { results.appendChild(el("p", { "class": "error" }, "Type at least 3 characters of an address.")); return; }
    fetch(form.getAttribute("data-geocode-url") + "?q=" + encodeURIComponent(q)).then(function (r) { return r.json(); }).then(function (data) {
      if (!data.results || !data.results.length) { results.appendChild(el("p", { "class": "error" }, data.error || "No matching address found. Try a nearby corner, or click the map.")); return; }
      var list = el("ul", { "class": "geocode-results" });
      results.appendChild(el("p", {}, "Choose the matching address:"));
      data.results.forEach(function (place) {
        var li = el("li");
        var b = el("button", { type: "button", "class": "link-button" }, place.address);
        b.addEventListener("click", function () { addressInput.value = place.address; results.textContent = ""; setPin(place.lat, place.lon, place.address); });
        li.appendChild(b); list.appendChild(li);
      });
      results.appendChild(list);
      list.querySelector("button").focus();
    });
  });
  addressInput.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); geocodeButton.click(); } });

  var locateButton = form.querySelector("[data-locate]");
  if (navigator.geolocation) {
    locateButton.hidden = false;
    locateButton.addEventListener("click", function () {
      pinStatus.textContent = "Finding your location…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        setPin(pos.coords.latitude, pos.coords.longitude, "your location");
      }, function () { pinStatus.textContent = "Your location is not available. Type an address or click the map."; }, { enableHighAccuracy: true, timeout: 10000 });
    });
  }
  [latInput, longInput].forEach(function (input) {
    input.addEventListener("change", function () {
      var lat = parseFloat(latInput.value), lon = parseFloat(longInput.value);
      if (!isNaN(lat) && !isNaN(lon)) setPin(lat, lon, null);
    });
  });
})();
