/* The neighborhoods choropleth of the performance page
 * (templates/engagement/performance/equity.html).
 *
 * The boundaries, each neighborhood's shade class and its value come from a
 * json_script element; the server has already classed them, so this only
 * paints. Names and values are set as text, never as HTML. The table below the
 * map holds the same figures for anyone not using the map. */
(function () {
  "use strict";

  // Same colours as .perf-shade-0 ... -4 in performance.css.
  var SHADES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
  var NO_DATA = "#d9d9d9";

  function readJSON(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function tooltip(name, value) {
    var box = document.createElement("span");
    var strong = document.createElement("strong");
    strong.textContent = name;
    box.appendChild(strong);
    box.appendChild(document.createTextNode(": " + value));
    return box;
  }

  window.civicpulsePerformanceMap = function (map) {
    var container = map.getContainer();
    var config = readJSON("performance-map-config");
    if (!config || !config.boundaries || !config.boundaries.features.length) {
      container.dataset.state = "empty";
      return;
    }
    var layer = L.geoJSON(config.boundaries, {
      style: function (feature) {
        var shade = config.classes[feature.properties.slug];
        return {
          color: "#1b2430",
          weight: 1,
          fillOpacity: 0.8,
          fillColor: shade === undefined ? NO_DATA : SHADES[shade],
        };
      },
      onEachFeature: function (feature, featureLayer) {
        var slug = feature.properties.slug;
        featureLayer.bindTooltip(
          tooltip(feature.properties.name, config.values[slug] || "no data"),
          { sticky: true }
        );
      },
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    container.dataset.state = "loaded";
  };
})();
