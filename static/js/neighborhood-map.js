/* Draws neighborhood boundaries on the django-leaflet maps of the
 * neighborhoods pages. The GeoJSON comes from json_script elements, never from
 * strings pasted into code, and names are set as text, never as HTML. */
(function () {
  "use strict";

  var STYLE = { color: "#1f5f8b", weight: 2, fillOpacity: 0.12 };
  var HOVER_STYLE = { weight: 4, fillOpacity: 0.3 };

  function readData(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function textElement(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function drawBoundaries(map, data, linkEach) {
    if (!data || !data.features || data.features.length === 0) {
      return null;
    }
    var layer = L.geoJSON(data, {
      style: function () {
        return STYLE;
      },
      onEachFeature: function (feature, featureLayer) {
        if (!linkEach) {
          return;
        }
        featureLayer.bindTooltip(textElement(feature.properties.name), { sticky: true });
        featureLayer.on("mouseover", function () {
          featureLayer.setStyle(HOVER_STYLE);
        });
        featureLayer.on("mouseout", function () {
          layer.resetStyle(featureLayer);
        });
        featureLayer.on("click", function () {
          window.location.assign(feature.properties.url);
        });
      },
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [12, 12] });
    return layer;
  }

  // Every neighborhood, each a link to its page (the list below the map
  // offers the same links to keyboard and screen reader users).
  window.civicpulseNeighborhoodsMap = function (map) {
    drawBoundaries(map, readData("neighborhoods-map-data"), true);
  };

  // One neighborhood's boundary.
  window.civicpulseNeighborhoodMap = function (map) {
    drawBoundaries(map, readData("neighborhood-map-data"), false);
  };
})();
