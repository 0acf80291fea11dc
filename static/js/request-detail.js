/* The small map on a request's page: one marker, or an area for sensitive ones. */
window.civicRequestMap = function (map) {
  "use strict";
  var point = JSON.parse(document.getElementById("request-point").textContent);
  var at = [point.lat, point.long];
  if (point.approximate) {
    L.circle(at, { radius: 250, color: "#0b5cad" }).addTo(map);
    map.setView(at, 15);
  } else {
    L.marker(at, { keyboard: false }).addTo(map);
    map.setView(at, 17);
  }
};
