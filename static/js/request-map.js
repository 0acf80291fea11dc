/* The public map of requests (templates/engagement/map.html).
 *
 * Asks /api/requests.geojson for what is in view whenever the map stops
 * moving, with the filters the page was loaded with: grid clusters with a
 * count below street level, requests with a popup above it. Text from the
 * server is always set as text, never as HTML. The list beside the map is its
 * text alternative, so nothing here is the only way to reach a request. */
(function () {
  "use strict";

  var COLORS = { open: "#b3361e", closed: "#1d6b36" };
  var VIEW_KEY = "civicpulse:requests-map-view";

  function readJSON(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function clamp(value, low, high) {
    return Math.min(high, Math.max(low, value));
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function formatDate(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) {
      return iso;
    }
    return date.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
  }

  function popupContent(props) {
    var box = element("div", "request-popup");
    box.appendChild(element("strong", "", props.service));
    box.appendChild(
      element("p", "", (props.status === "closed" ? "Closed" : "Open") +
        " · reported " + formatDate(props.requested_datetime))
    );
    var link = element("a", "", "Open request " + props.public_id);
    link.href = props.url;
    box.appendChild(element("p")).appendChild(link);
    return box;
  }

  function clusterMarker(map, feature) {
    var count = feature.properties.count;
    var size = Math.round(clamp(24 + Math.log10(count) * 12, 28, 64));
    var label = count.toLocaleString() + (count === 1 ? " request" : " requests") +
      " here: select to zoom in";
    var coords = feature.geometry.coordinates;
    var marker = L.marker([coords[1], coords[0]], {
      icon: L.divIcon({
        className: "cluster-marker",
        html: element("span", "", count.toLocaleString()),
        iconSize: [size, size],
      }),
      title: label,
      keyboard: true,
    });
    marker.on("add", function () {
      marker.getElement().setAttribute("aria-label", label);
    });
    marker.on("click", function () {
      // Show the whole cell when it fits a closer view, so none of its
      // requests falls outside; otherwise step in one level on the cluster's
      // own centre (the mean of its requests), never on the cell's.
      var box = feature.properties.bbox;
      var bounds = L.latLngBounds([box[1], box[0]], [box[3], box[2]]);
      if (map.getBoundsZoom(bounds) > map.getZoom()) {
        map.fitBounds(bounds);
      } else {
        map.setView(marker.getLatLng(), Math.min(map.getZoom() + 1, map.getMaxZoom()));
      }
    });
    return marker;
  }

  function pointMarker(feature) {
    var coords = feature.geometry.coordinates;
    var color = COLORS[feature.properties.status] || COLORS.open;
    return L.circleMarker([coords[1], coords[0]], {
      radius: 7,
      color: "#ffffff",
      weight: 2,
      fillColor: color,
      fillOpacity: 0.9,
    }).bindPopup(popupContent(feature.properties));
  }

  function describe(data) {
    if (data.clustered) {
      if (data.total === 0) {
        return "No requests in this part of the map.";
      }
      return data.total.toLocaleString() + " requests in view, grouped in " +
        data.features.length + " areas. Zoom in to see single requests.";
    }
    if (data.features.length === 0) {
      return "No requests in this part of the map.";
    }
    var text = data.features.length.toLocaleString() + " requests in view.";
    if (data.truncated) {
      text += " Only the newest are shown: zoom in or narrow the filters to see all.";
    }
    return text;
  }

  function restoreView(map, config) {
    if (config.bounds) {
      map.fitBounds(config.bounds, { padding: [12, 12] });
      return;
    }
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(VIEW_KEY) || "null");
      if (saved && typeof saved.zoom === "number") {
        map.setView([saved.lat, saved.lng], saved.zoom);
      }
    } catch (error) {
      // No storage (private mode): the default view is fine.
    }
  }

  function saveView(map) {
    try {
      var centre = map.getCenter();
      window.sessionStorage.setItem(
        VIEW_KEY,
        JSON.stringify({ lat: centre.lat, lng: centre.lng, zoom: map.getZoom() })
      );
    } catch (error) {
      // Remembering the view is a nicety only.
    }
  }

  window.civicpulseRequestsMap = function (map) {
    var config = readJSON("requests-map-config");
    var container = map.getContainer();
    var status = document.getElementById("requests-map-status");
    var layer = L.featureGroup().addTo(map);
    var controller = null;
    var timer = null;

    function draw(data) {
      layer.clearLayers();
      data.features.forEach(function (feature) {
        layer.addLayer(
          feature.properties.cluster ? clusterMarker(map, feature) : pointMarker(feature)
        );
      });
      status.textContent = describe(data);
      container.setAttribute("data-state", "loaded");
      container.setAttribute("data-clustered", data.clustered ? "true" : "false");
      container.setAttribute("data-features", String(data.features.length));
    }

    function load() {
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      var bounds = map.getBounds();
      var params = new URLSearchParams(config.filters);
      params.set("bbox", [
        clamp(bounds.getWest(), -180, 180),
        clamp(bounds.getSouth(), -90, 90),
        clamp(bounds.getEast(), -180, 180),
        clamp(bounds.getNorth(), -90, 90),
      ].map(function (n) { return n.toFixed(6); }).join(","));
      params.set("zoom", String(Math.round(map.getZoom())));
      container.setAttribute("data-state", "loading");
      fetch(config.apiUrl + "?" + params.toString(), {
        headers: { Accept: "application/geo+json" },
        signal: controller.signal,
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(draw)
        .catch(function (error) {
          if (error.name === "AbortError") {
            return;
          }
          container.setAttribute("data-state", "error");
          status.textContent = "The map could not load the requests just now. " +
            "The list shows them all.";
        });
    }

    restoreView(map, config);
    map.on("moveend", function () {
      saveView(map);
      window.clearTimeout(timer);
      timer = window.setTimeout(load, 150);
    });
    load();
  };
})();
