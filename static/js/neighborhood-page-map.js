/* The map on a neighborhood's page: its boundary and its most recent
 * requests, open ones in the accent colour. Data comes from json_script
 * elements; names are set as text, never as HTML. The page lists the same
 * requests (linked below the map), so the map is never the only way in. */
(function () {
  "use strict";

  var BOUNDARY = { color: "#1f5f8b", weight: 2, fillOpacity: 0.08 };
  var OPEN = { radius: 5, color: "#b3361e", weight: 1, fillOpacity: 0.8 };
  var CLOSED = { radius: 4, color: "#1d6b36", weight: 1, fillOpacity: 0.6 };

  function readData(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function textElement(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  window.civicpulseNeighborhoodPageMap = function (map) {
    var boundary = readData("neighborhood-map-data");
    if (boundary && boundary.features && boundary.features.length) {
      var layer = L.geoJSON(boundary, { style: function () { return BOUNDARY; } }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [12, 12] });
    }
    var requests = readData("neighborhood-requests-data");
    if (!requests || !requests.features) {
      return;
    }
    L.geoJSON(requests, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, feature.properties.open ? OPEN : CLOSED);
      },
      onEachFeature: function (feature, featureLayer) {
        featureLayer.bindTooltip(textElement(feature.properties.name));
        featureLayer.on("click", function () {
          window.location.assign(feature.properties.url);
        });
      },
    }).addTo(map);
  };
})();
