/* The small map on a volunteer event's page: one marker where to meet. The
 * point comes from a json_script element; the place name is set as text. */
window.civicpulseEventMap = function (map) {
  "use strict";
  var element = document.getElementById("event-map-point");
  if (!element) {
    return;
  }
  var point = JSON.parse(element.textContent);
  var at = [point.lat, point.lon];
  var label = document.createElement("span");
  label.textContent = point.name;
  L.marker(at, { keyboard: false, alt: point.name }).addTo(map).bindTooltip(label);
  map.setView(at, 16, { animate: false });
};
