// rossim mission control: the contact windows table (an Open MCT view of the *Contact windows
// (AOS/LOS)* object): the ground-station passes and Luch-5 relay windows of the time
// conductor's span (GET /api/contact, keep=last), newest first.

import { getJSON } from './api.js';

export function contactTableView(openmct, info) {
  const fmt = (ms) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  return {
    key: 'rossim.contacts.table',
    name: 'Contact windows',
    cssClass: 'icon-tabular-realtime',
    canView: (d) => d.type === 'rossim.contacts',
    view: function () {
      let box;
      let timer = null;
      let stop = [];
      const draw = async () => {
        if (!box) {
          return;
        }
        const b = openmct.time.getBounds();
        const now = openmct.time.isRealTime() ? openmct.time.getClock().currentValue() : b.end;
        const end = Math.min(Math.max(Math.min(b.end, now), info.start), info.end);
        const start = Math.max(Math.min(b.start, end), info.start);
        // keep=last: the newest windows of the span when more than the server's limit
        const res = await getJSON('/api/contact?start=' + Math.round(start) + '&end=' +
          Math.round(end) + '&keep=last');
        const rows = res.windows || [];
        const total = res.total === undefined ? rows.length : res.total;
        const shown = rows.slice(-200).reverse(); // newest first
        const t = document.createElement('table');
        t.className = 'rossim-contact-windows';
        t.dataset.rows = String(rows.length);
        t.dataset.ground = String(rows.filter((r) => r.kind === 'ground').length);
        t.dataset.relay = String(rows.filter((r) => r.kind === 'relay').length);
        const head = t.insertRow();
        for (const h of ['AOS (UTC)', 'LOS (UTC)', 'link', 'kind', 'duration', 'max el.']) {
          const th = document.createElement('th');
          th.textContent = h;
          head.appendChild(th);
        }
        for (const r of shown) {
          const tr = t.insertRow();
          tr.className = 'rossim-contact-' + r.kind;
          for (const v of [fmt(r.aos), fmt(r.los), r.name, r.kind,
            (r.duration_s / 60).toFixed(1) + ' min',
            r.max_elevation_deg === null ? '' : r.max_elevation_deg.toFixed(1) + '°']) {
            tr.insertCell().textContent = v;
          }
        }
        const note = document.createElement('div');
        note.className = 'rossim-contact-note';
        note.textContent = total + ' windows in the time span' +
          (total > shown.length ? '; newest ' + shown.length + ' shown, AOS ' +
            fmt(shown[shown.length - 1].aos) + ' .. ' + fmt(shown[0].aos) : '');
        box.replaceChildren(note, t);
      };
      return {
        show: function (element) {
          box = document.createElement('div');
          box.className = 'rossim-contacts';
          box.style.overflow = 'auto';
          box.style.height = '100%';
          box.style.fontSize = '11px';
          element.appendChild(box);
          const onBounds = () => draw().catch((e) => console.warn(e));
          openmct.time.on('bounds', onBounds);
          stop.push(() => openmct.time.off('bounds', onBounds));
          timer = setInterval(() => {
            if (openmct.time.isRealTime()) {
              onBounds();
            }
          }, 2000);
          onBounds();
        },
        destroy: function () {
          stop.forEach((f) => f());
          stop = [];
          clearInterval(timer);
          box = null;
        }
      };
    }
  };
}
