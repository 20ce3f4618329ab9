// rossim mission control: the ground-track map (an Open MCT view of the *Ground track*
// object): the last three hours of sub-satellite points (GET /api/groundtrack) over the outline
// of Russia (GET /api/regions/russia), the station's marker and its free-flyers.

import { HOUR, getJSON } from './api.js';

export function groundTrackView(openmct, info) {
  return {
    key: 'rossim.groundtrack.map',
    name: 'Ground track map',
    cssClass: 'icon-image',
    canView: (d) => d.type === 'rossim.groundtrack',
    view: function (domainObject) {
      let canvas;
      let outline = null;
      let timer = null;
      let stop = [];
      const draw = async () => {
        if (!canvas) {
          return;
        }
        const b = openmct.time.getBounds();
        const now = openmct.time.isRealTime() ? openmct.time.getClock().currentValue() : b.end;
        const end = Math.min(Math.max(Math.min(b.end, now), info.start), info.end);
        const track = await getJSON('/api/groundtrack?start=' + Math.round(end - 3 * HOUR) +
          '&end=' + Math.round(end) + '&step=30');
        const w = (canvas.width = canvas.clientWidth || 640);
        const h = (canvas.height = canvas.clientHeight || 320);
        const g = canvas.getContext('2d');
        const x = (lon) => ((lon + 180) / 360) * w;
        const y = (lat) => ((90 - lat) / 180) * h;
        g.fillStyle = '#0b1d2c';
        g.fillRect(0, 0, w, h);
        g.strokeStyle = 'rgba(255,255,255,0.15)';
        g.lineWidth = 1;
        for (let lon = -180; lon <= 180; lon += 30) {
          g.beginPath(); g.moveTo(x(lon), 0); g.lineTo(x(lon), h); g.stroke();
        }
        for (let lat = -90; lat <= 90; lat += 30) {
          g.beginPath(); g.moveTo(0, y(lat)); g.lineTo(w, y(lat)); g.stroke();
        }
        if (outline) {
          g.strokeStyle = '#7fb37f';
          g.fillStyle = 'rgba(127,179,127,0.25)';
          for (const f of outline.features) {
            const polys = f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates :
              [f.geometry.coordinates];
            for (const poly of polys) {
              g.beginPath();
              poly[0].forEach((p, i) => (i ? g.lineTo(x(p[0]), y(p[1])) : g.moveTo(x(p[0]), y(p[1]))));
              g.closePath(); g.fill(); g.stroke();
            }
          }
        }
        const pts = track.points || [];
        g.strokeStyle = '#ffcc33';
        g.lineWidth = 2;
        g.beginPath();
        pts.forEach((p, i) => {
          if (i && Math.abs(p[2] - pts[i - 1][2]) > 180) {
            g.stroke(); g.beginPath(); g.moveTo(x(p[2]), y(p[1]));
          } else if (i) {
            g.lineTo(x(p[2]), y(p[1]));
          } else {
            g.moveTo(x(p[2]), y(p[1]));
          }
        });
        g.stroke();
        if (pts.length) {
          const last = pts[pts.length - 1];
          const flyers = track.free_flyers || [];
          if (flyers.length) {
            // Free-flyers keep within a few km of the station: at map scale they sit on it,
            // so they are drawn on a ring around its marker (not to scale) and counted.
            g.fillStyle = '#66ff88';
            flyers.forEach((f, k) => {
              const a = (2 * Math.PI * k) / flyers.length;
              g.beginPath();
              g.arc(x(last[2]) + 11 * Math.cos(a), y(last[1]) + 11 * Math.sin(a), 2.5, 0, 2 * Math.PI);
              g.fill();
            });
            const km = Math.max(...flyers.map((f) => 2 * f.radial_amplitude_m)) / 1000;
            g.font = '11px sans-serif';
            g.fillText(flyers.length + ' free-flyers within ' + km.toFixed(1) +
              ' km (ring not to scale)', 8, h - 24);
          }
          canvas.dataset.freeFlyers = String(flyers.length);
          g.fillStyle = '#ff5533';
          g.beginPath(); g.arc(x(last[2]), y(last[1]), 5, 0, 2 * Math.PI); g.fill();
          g.fillStyle = '#ffffff';
          g.font = '12px sans-serif';
          g.fillText('ROS ' + new Date(last[0]).toISOString().slice(0, 16) + 'Z  ' +
            last[1].toFixed(1) + ', ' + last[2].toFixed(1), 8, h - 8);
        }
        canvas.dataset.points = String(pts.length);
      };
      return {
        show: function (element) {
          canvas = document.createElement('canvas');
          canvas.className = 'rossim-groundtrack';
          canvas.style.width = '100%';
          canvas.style.height = '100%';
          element.appendChild(canvas);
          getJSON('/api/regions/russia').then((gj) => {
            outline = gj;
            draw();
          }).catch(() => draw());
          const onBounds = () => draw().catch((e) => console.warn(e));
          openmct.time.on('bounds', onBounds);
          stop.push(() => openmct.time.off('bounds', onBounds));
          timer = setInterval(() => {
            if (openmct.time.isRealTime()) {
              onBounds();
            }
          }, 2000);
        },
        destroy: function () {
          stop.forEach((f) => f());
          stop = [];
          clearInterval(timer);
          canvas = null;
        }
      };
    }
  };
}
