/*
 * rossim plugin for NASA Open MCT (Apache-2.0). Plain JavaScript, no build step, no CDN.
 *
 * It reads the server's API (src/rossim/serve/app.py) and gives Open MCT:
 *  - an object tree: ROS -> subsystems -> channels (telemetry metadata with units, formats and
 *    limits), the event stream, alarms, visits (and contacts when the run has them), a ready
 *    display layout and a ground-track map;
 *  - a historical telemetry provider (GET /api/telemetry/<channel>, min/max downsampled to the
 *    plot's width) and a real-time one (WebSocket /ws/realtime, the server's replay/live clock);
 *  - a limit evaluator from the channel limits (and event severities);
 *  - a "rossim" clock for Open MCT's real-time time conductor, ticking the simulated time.
 */
(function () {
  'use strict';

  const NS = 'rossim';
  const HOUR = 3600 * 1000;
  const DAY = 24 * HOUR;

  // ------------------------------------------------------------------ helpers
  function id(key) {
    return { namespace: NS, key: key };
  }

  async function getJSON(url) {
    const res = await fetch(url);
    if (!res.ok) {
      let msg = res.status + ' ' + res.statusText;
      try {
        msg = (await res.json()).error || msg;
      } catch (e) {
        /* not JSON */
      }
      throw new Error(url + ': ' + msg);
    }
    return res.json();
  }

  class Emitter {
    constructor() {
      this._l = {};
    }
    on(ev, fn, ctx) {
      (this._l[ev] = this._l[ev] || []).push({ fn: fn, ctx: ctx });
      return this;
    }
    once(ev, fn, ctx) {
      const self = this;
      function w() {
        self.off(ev, w);
        fn.apply(ctx, arguments);
      }
      return this.on(ev, w, ctx);
    }
    off(ev, fn) {
      if (!this._l[ev]) {
        return this;
      }
      this._l[ev] = fn ? this._l[ev].filter((l) => l.fn !== fn) : [];
      return this;
    }
    emit(ev) {
      const args = Array.prototype.slice.call(arguments, 1);
      (this._l[ev] || []).slice().forEach((l) => l.fn.apply(l.ctx, args));
      return true;
    }
    listeners(ev) {
      return (this._l[ev] || []).map((l) => l.fn);
    }
    removeAllListeners(ev) {
      if (ev) {
        delete this._l[ev];
      } else {
        this._l = {};
      }
      return this;
    }
  }

  // ----------------------------------------------------- realtime connection
  // One WebSocket for the page; channels subscribed on demand. Every server message carries a
  // sequence number; a gap (never expected) is reported in the console and in `stats.gaps`.
  class Realtime extends Emitter {
    constructor() {
      super();
      this.subs = {}; // channel -> Set(callback)
      this.eventSubs = new Set();
      this.lastSeq = 0;
      this.stats = { messages: 0, samples: 0, gaps: 0 };
      this.clock = null;
      this.connect();
    }
    connect() {
      const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
      this.ws = new WebSocket(proto + '//' + location.host + '/ws/realtime');
      this.lastSeq = 0;
      this.ws.onopen = () => {
        const names = Object.keys(this.subs).filter((k) => this.subs[k].size);
        if (names.length) {
          this.send({ subscribe: names });
        }
        if (this.eventSubs.size) {
          this.send({ events: true });
        }
      };
      this.ws.onmessage = (m) => this.receive(JSON.parse(m.data));
      this.ws.onclose = () => setTimeout(() => this.connect(), 1000);
    }
    send(msg) {
      if (this.ws.readyState === WebSocket.OPEN) {
        this.ws.send(JSON.stringify(msg));
      }
    }
    receive(msg) {
      if (msg.type === 'hello') {
        this.clock = msg.clock;
        this.emit('clock', msg.clock);
        return;
      }
      if (msg.type === 'error') {
        console.warn('rossim realtime:', msg.error);
        return;
      }
      if (msg.type !== 'tick') {
        return;
      }
      if (this.lastSeq && msg.seq !== this.lastSeq + 1) {
        this.stats.gaps += 1;
        console.warn('rossim realtime: sequence gap', this.lastSeq, msg.seq);
      }
      this.lastSeq = msg.seq;
      this.stats.messages += 1;
      this.clock = msg.clock;
      for (const s of msg.samples) {
        const cbs = this.subs[s[1]];
        if (cbs) {
          this.stats.samples += 1;
          const datum = { id: s[1], utc: s[0], value: s[2] };
          cbs.forEach((cb) => cb(datum));
        }
      }
      for (const e of msg.events) {
        this.eventSubs.forEach((cb) => cb(e));
      }
      this.emit('tick', msg.t, msg.clock);
    }
    subscribe(name, cb) {
      if (!this.subs[name]) {
        this.subs[name] = new Set();
      }
      this.subs[name].add(cb);
      if (this.subs[name].size === 1) {
        this.send({ subscribe: [name] });
      }
      return () => {
        this.subs[name].delete(cb);
        if (this.subs[name].size === 0) {
          this.send({ unsubscribe: [name] });
        }
      };
    }
    subscribeEvents(cb) {
      this.eventSubs.add(cb);
      if (this.eventSubs.size === 1) {
        this.send({ events: true });
      }
      return () => {
        this.eventSubs.delete(cb);
        if (this.eventSubs.size === 0) {
          this.send({ events: false });
        }
      };
    }
  }

  // The simulated time as an Open MCT clock (for the real-time time conductor).
  class RossimClock extends Emitter {
    constructor(realtime, start) {
      super();
      this.key = 'rossim';
      this.name = 'Simulation clock';
      this.cssClass = 'icon-clock';
      this.description = 'The simulated time of the replay or live run (server clock)';
      this.lastTick = start;
      realtime.on('tick', (t) => {
        if (t !== this.lastTick) {
          this.lastTick = t;
          this.emit('tick', t);
        }
      });
    }
    currentValue() {
      return this.lastTick;
    }
  }

  // ------------------------------------------------------------------- model
  const EVENT_VALUES = [
    { key: 'utc', source: 'utc', name: 'Time', format: 'utc', hints: { domain: 1 } },
    { key: 'severity', name: 'Severity', format: 'string' },
    { key: 'kind', name: 'Kind', format: 'string' },
    { key: 'subject', name: 'Subject', format: 'string' },
    { key: 'detail', name: 'Detail', format: 'string' },
    { key: 'id', name: 'Event #', format: 'string' }
  ];

  // The ready layout: panels whose channels exist in this run (engine names or archive names).
  const PANELS = [
    { key: 'power', name: 'Power', subsystems: ['power'],
      channels: ['power.soc_min', 'power.generation_kw', 'power.load_kw'] },
    { key: 'orbit', name: 'Altitude and propellant', subsystems: ['orbit', 'propulsion'],
      channels: ['hourly.altitude_km', 'hourly.station_propellant_kg'] },
    { key: 'thermal', name: 'Thermal', subsystems: ['thermal'],
      channels: ['thermal.max_temperature_c', 'thermal.heater_kw'] },
    { key: 'crew', name: 'Crew and visits', subsystems: ['crew'],
      channels: ['hourly.crew_aboard', 'daily.margin_days'] },
    { key: 'comms', name: 'Contact windows', subsystems: ['comms', 'contacts', 'communications'],
      // 0/1 steps at every AOS and LOS (plotted stepAfter), then the windows table
      channels: ['contact.in_ground_contact', 'contact.in_relay_contact', 'daily.contact_minutes'],
      steps: true }
  ];
  const MAX_PANEL_CHANNELS = 2;

  function buildModel(info, dict) {
    const objects = {};
    const channels = {};
    const rootComposition = [];
    const add = (o) => {
      objects[o.identifier.key] = o;
      return o.identifier;
    };
    for (const sub of dict.subsystems) {
      const comp = [];
      for (const ch of sub.channels) {
        channels[ch.name] = ch;
        comp.push(
          add({
            identifier: id('ch.' + ch.name),
            name: ch.name.split('.').slice(1).join('.'),
            type: 'rossim.channel',
            location: NS + ':sub.' + sub.key,
            notes: ch.description,
            channel: ch,
            telemetry: {
              values: [
                { key: 'utc', source: 'utc', name: 'Time', format: 'utc', hints: { domain: 1 } },
                {
                  key: 'value', name: ch.name, unit: ch.unit || undefined, format: 'float',
                  hints: { range: 1 },
                  min: ch.low === null ? undefined : ch.low,
                  max: ch.high === null ? undefined : ch.high
                }
              ]
            }
          })
        );
      }
      rootComposition.push(
        add({
          identifier: id('sub.' + sub.key), name: sub.name, type: 'rossim.subsystem',
          location: NS + ':station', composition: comp
        })
      );
    }
    const kinds = info.event_kinds || [];
    const streams = [
      { key: 'events', name: 'Event stream', filter: {} },
      // the engine's alarms (events of kind alarm: what the report lists and counts); every
      // warning and critical event (faults, refused commands ...) is the next stream
      { key: 'alarms', name: 'Alarms', filter: { kind: 'alarm' } },
      { key: 'warnings', name: 'Warning and critical events', filter: { severity: 'warning,critical' } },
      { key: 'visits', name: 'Visits (dock and undock)', filter: { kind: 'dock,undock,separation' } }
    ];
    const contactKinds = kinds.filter((k) => /aos|los|contact|pass/i.test(k));
    if (contactKinds.length) {
      streams.push({ key: 'contacts', name: 'Contact windows', filter: { kind: contactKinds.join(',') } });
    }
    for (const s of streams) {
      rootComposition.push(
        add({
          identifier: id('ev.' + s.key), name: s.name, type: 'rossim.events',
          location: NS + ':station', filter: s.filter, telemetry: { values: EVENT_VALUES }
        })
      );
    }
    rootComposition.push(
      add({ identifier: id('groundtrack'), name: 'Ground track', type: 'rossim.groundtrack',
        location: NS + ':station' })
    );
    // AOS/LOS of every ground station and Luch-5 relay (GET /api/contact), as a table
    rootComposition.push(
      add({ identifier: id('contacts'), name: 'Contact windows (AOS/LOS)', type: 'rossim.contacts',
        location: NS + ':station' })
    );

    // Panels: a stacked plot per panel, events tables beside them, the map.
    const items = [];
    const layoutComp = [];
    let col = 0;
    let row = 0;
    const W = 29;
    const H = 30;
    const place = (identifier, w, h) => {
      items.push({
        id: 'item-' + identifier.key, type: 'subobject-view', identifier: identifier,
        x: 1 + col * (W + 1), y: 1 + row * (H + 1), width: w || W, height: h || H,
        hasFrame: true, fontSize: 'default', font: 'default'
      });
      layoutComp.push(identifier);
      col += 1;
      if (col === 3) {
        col = 0;
        row += 1;
      }
    };
    for (const p of PANELS) {
      // a panel's channel by its archive name, else by its column under any subsystem
      const find = (cand) => channels[cand] ? cand : Object.keys(channels).find(
        (n) => channels[n].column === cand.split('.').pop());
      let names = p.channels.map(find).filter((n, i, all) => n && all.indexOf(n) === i);
      if (!names.length) {
        names = Object.keys(channels).filter((n) => p.subsystems.includes(channels[n].subsystem));
      }
      names = names.slice(0, MAX_PANEL_CHANNELS);
      const evStream = p.key === 'crew' ? 'ev.visits' : p.key === 'comms' ? 'contacts' : null;
      if (!names.length && !evStream) {
        continue;
      }
      if (names.length) {
        const plot = add({
          identifier: id('plot.' + p.key), name: p.name, type: 'telemetry.plot.stacked',
          location: NS + ':station', composition: names.map((n) => id('ch.' + n)),
          configuration: {
            // contact flags hold from one edge to the next: drawn as steps, not ramps
            series: p.steps ? names.filter((n) => /\.in_[a-z_]*contact$/.test(n)).map((n) => ({
              identifier: id('ch.' + n), interpolate: 'stepAfter',
              series: { interpolate: 'stepAfter' }
            })) : [],
            yAxis: {}, xAxis: {}
          }
        });
        place(plot);
      }
      if (evStream) {
        place(id(evStream));
      }
    }
    place(id('ev.alarms'));
    place(id('groundtrack'));
    const layout = add({
      identifier: id('layout'), name: 'Station overview', type: 'layout',
      location: NS + ':station', composition: layoutComp,
      configuration: { items: items, layoutGrid: [10, 10] }
    });
    rootComposition.unshift(layout);
    add({
      identifier: id('station'), name: (info.run_info && info.run_info.scenario) ?
        'ROS (' + info.run_info.scenario + ', ' + info.mode + ')' : 'ROS', type: 'rossim.station',
      location: 'ROOT', composition: rootComposition
    });
    return { objects: objects, channels: channels };
  }

  // ------------------------------------------------------------ ground track
  function groundTrackView(openmct) {
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
          const end = Math.min(Math.max(Math.min(b.end, now), window.RossimMissionControl.info.start),
            window.RossimMissionControl.info.end);
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

  // ------------------------------------------------------ contact windows table
  function contactTableView(openmct) {
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
          const info = window.RossimMissionControl.info;
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

  // --------------------------------------------------- clock and command panel
  // An Open MCT indicator (status bar): the simulation clock, pause/resume, speed, and in a
  // live run the command panel. Control needs the token `rossim serve` prints (page URL
  // ?token=..., kept for the tab's session); viewing does not.
  function token() {
    const fromUrl = new URLSearchParams(location.search).get('token');
    if (fromUrl) {
      sessionStorage.setItem('rossim.token', fromUrl);
    }
    let t = sessionStorage.getItem('rossim.token');
    if (!t) {
      t = window.prompt('Control token (printed by rossim serve):') || '';
      if (t) {
        sessionStorage.setItem('rossim.token', t);
      }
    }
    return t;
  }

  async function postJSON(url, body) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Rossim-Token': token() },
      body: JSON.stringify(body)
    });
    const out = await res.json();
    if (res.status === 401) {
      sessionStorage.removeItem('rossim.token');
    }
    if (!res.ok) {
      throw new Error(out.error || res.status);
    }
    return out;
  }

  function parseArgs(text) {
    const out = {};
    for (const part of text.split(/[,\s]+/).filter(Boolean)) {
      const [k, v] = part.split('=');
      if (v === undefined) {
        throw new Error('arguments are name=value: ' + part);
      }
      out[k] = v === 'true' ? true : v === 'false' ? false : isNaN(Number(v)) ? v : Number(v);
    }
    return out;
  }

  function controlIndicator(openmct, info, realtime, commands) {
    const el = document.createElement('div');
    el.className = 'c-indicator rossim-control';
    el.style.cssText = 'display:flex;gap:6px;align-items:center;padding:0 6px;white-space:nowrap';
    const label = document.createElement('span');
    label.className = 'rossim-clock';
    const pause = document.createElement('button');
    pause.className = 'c-button rossim-pause';
    const speed = document.createElement('select');
    speed.className = 'rossim-speed';
    for (const x of [1, 10, 100, 1000, 10000, 100000]) {
      const o = document.createElement('option');
      o.value = String(x);
      o.textContent = x + 'x';
      speed.appendChild(o);
    }
    const status = document.createElement('span');
    status.className = 'rossim-status';
    el.append(label, pause, speed);
    const show = (c) => {
      if (!c) {
        return;
      }
      label.textContent = (info.mode === 'live' ? 'LIVE ' : 'REPLAY ') +
        new Date(c.t).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
      pause.textContent = c.paused ? 'Resume' : 'Pause';
      if (document.activeElement !== speed) {
        if (![...speed.options].some((o) => o.value === String(c.speed))) {
          const o = document.createElement('option');
          o.value = String(c.speed);
          o.textContent = c.speed + 'x';
          speed.appendChild(o);
        }
        speed.value = String(c.speed);
      }
    };
    realtime.on('tick', (t, c) => show(c));
    realtime.on('clock', show);
    show(info.clock);
    const act = (body) => postJSON('/api/clock', body).then(show).catch((e) => {
      status.textContent = String(e.message || e);
    });
    pause.onclick = () => act({ paused: !(realtime.clock || info.clock).paused });
    speed.onchange = () => act({ speed: Number(speed.value) });
    if (commands.length) {
      const sel = document.createElement('select');
      sel.className = 'rossim-command';
      for (const c of commands) {
        const o = document.createElement('option');
        o.value = c.name;
        o.textContent = c.name;
        o.title = c.doc + ' (' + c.fields.map((f) => f.name).join(', ') + ')';
        sel.appendChild(o);
      }
      const args = document.createElement('input');
      args.className = 'rossim-args';
      args.placeholder = 'target_altitude_km=420';
      args.size = 22;
      const send = document.createElement('button');
      send.className = 'c-button rossim-send';
      send.textContent = 'Send';
      send.onclick = async () => {
        try {
          const body = Object.assign({ command: sel.value }, parseArgs(args.value));
          const r = await postJSON('/api/command', body);
          const res = r.result || {};
          status.textContent = sel.value + ': ' + (res.accepted === false ? 'refused: ' +
            (res.reason || '') : 'done ' + (res.detail || ''));
        } catch (e) {
          status.textContent = sel.value + ': ' + (e.message || e);
        }
      };
      el.append(sel, args, send);
    }
    el.append(status);
    openmct.indicators.add({ key: 'rossim-control', element: el, priority: 100 });
  }

  // ------------------------------------------------------------------ plugin
  // low/high: critical (red); warning_low/warning_high: warning (yellow), where the engine's
  // limit holds only in some states (a module's crewed band: GET /api/dictionary)
  function limitsOf(ch) {
    const v = (x) => (x === undefined ? null : x);
    return { low: v(ch.low), high: v(ch.high), warnLow: v(ch.warning_low),
      warnHigh: v(ch.warning_high) };
  }

  function channelLimitEvaluator(ch) {
    const lim = limitsOf(ch);
    return {
      evaluate: function (datum, valueMetadata) {
        const key = (valueMetadata && valueMetadata.key) || 'value';
        if (key !== 'value' || !datum) {
          return undefined;
        }
        const v = datum.value;
        if (lim.high !== null && lim.high !== undefined && v > lim.high) {
          return { cssClass: 'is-limit--upr is-limit--red', name: 'Red High', high: lim.high,
            low: Number.NEGATIVE_INFINITY };
        }
        if (lim.low !== null && lim.low !== undefined && v < lim.low) {
          return { cssClass: 'is-limit--lwr is-limit--red', name: 'Red Low', low: lim.low,
            high: Number.POSITIVE_INFINITY };
        }
        if (lim.warnHigh !== null && v > lim.warnHigh) {
          return { cssClass: 'is-limit--upr is-limit--yellow', name: 'Yellow High',
            high: lim.warnHigh, low: Number.NEGATIVE_INFINITY };
        }
        if (lim.warnLow !== null && v < lim.warnLow) {
          return { cssClass: 'is-limit--lwr is-limit--yellow', name: 'Yellow Low',
            low: lim.warnLow, high: Number.POSITIVE_INFINITY };
        }
        return undefined;
      }
    };
  }

  const eventLimitEvaluator = {
    evaluate: function (datum) {
      if (!datum) {
        return undefined;
      }
      if (datum.severity === 'critical') {
        return { cssClass: 'is-limit--upr is-limit--red', name: 'Critical' };
      }
      if (datum.severity === 'warning') {
        return { cssClass: 'is-limit--upr is-limit--yellow', name: 'Warning' };
      }
      return undefined;
    }
  };

  function RossimPlugin(info, dict, realtime) {
    return function install(openmct) {
      const model = buildModel(info, dict);
      openmct.types.addType('rossim.station', {
        name: 'rossim station', description: 'The station and its subsystems',
        cssClass: 'icon-folder'
      });
      openmct.types.addType('rossim.subsystem', {
        name: 'rossim subsystem', description: 'A subsystem: its telemetry channels',
        cssClass: 'icon-folder'
      });
      openmct.types.addType('rossim.channel', {
        name: 'rossim channel', description: 'A telemetry channel of the station',
        cssClass: 'icon-telemetry'
      });
      openmct.types.addType('rossim.events', {
        name: 'rossim event stream', description: 'Events and alarms of the run',
        cssClass: 'icon-tabular-realtime'
      });
      openmct.types.addType('rossim.groundtrack', {
        name: 'rossim ground track', description: 'The station over the Earth', cssClass: 'icon-image'
      });
      openmct.types.addType('rossim.contacts', {
        name: 'rossim contact windows', description: 'AOS/LOS of the ground stations and relays',
        cssClass: 'icon-tabular-realtime'
      });
      openmct.objects.addRoot(id('station'));
      openmct.objects.addProvider(NS, {
        get: function (identifier) {
          const o = model.objects[identifier.key];
          if (!o) {
            return Promise.reject(new Error('rossim: no object ' + identifier.key));
          }
          return Promise.resolve(structuredClone(o));
        }
      });
      openmct.composition.addProvider({
        appliesTo: (d) => d.identifier.namespace === NS && Array.isArray(d.composition) &&
          d.type !== 'layout' && d.type !== 'telemetry.plot.stacked',
        load: (d) => Promise.resolve(d.composition)
      });

      // Historical + realtime telemetry, limits.
      openmct.telemetry.addProvider({
        supportsRequest: (d) => d.type === 'rossim.channel' || d.type === 'rossim.events',
        supportsSubscribe: (d) => d.type === 'rossim.channel' || d.type === 'rossim.events',
        supportsLimits: (d) => d.type === 'rossim.channel' || d.type === 'rossim.events',
        request: async function (d, options) {
          const start = Math.round(options.start);
          const end = Math.round(options.end);
          if (!(end > start)) {
            return [];
          }
          if (d.type === 'rossim.events') {
            const q = new URLSearchParams({ start: start, end: end });
            for (const [k, v] of Object.entries(d.filter || {})) {
              q.set(k, v);
            }
            return getJSON('/api/events?' + q.toString());
          }
          const name = d.channel.name;
          const bins = Math.max(50, Math.min(4000, Math.round((options.size || 1000))));
          const q = 'start=' + start + '&end=' + end +
            (options.strategy === 'latest' ? '' : '&bins=' + bins);
          const res = await getJSON('/api/telemetry/' + encodeURIComponent(name) + '?' + q);
          let pts = res.points;
          if (options.strategy === 'latest' && pts.length) {
            pts = [pts[pts.length - 1]];
          }
          return pts.map((p) => ({ id: name, utc: p[0], value: p[1] }));
        },
        subscribe: function (d, callback) {
          if (d.type === 'rossim.events') {
            const f = d.filter || {};
            const sev = f.severity ? f.severity.split(',') : null;
            const kinds = f.kind ? f.kind.split(',') : null;
            return realtime.subscribeEvents((e) => {
              if (openmct.time.isRealTime() && (!sev || sev.includes(e.severity)) && (!kinds || kinds.includes(e.kind))) {
                callback(e);
              }
            });
          }
          return realtime.subscribe(d.channel.name, (datum) => {
            // Real-time samples are the simulation clock's newest; Open MCT's views append
            // them after the history, which is only right in real-time mode.
            if (openmct.time.isRealTime()) {
              callback(datum);
            }
          });
        },
        getLimitEvaluator: (d) => d.type === 'rossim.events' ? eventLimitEvaluator :
          channelLimitEvaluator(d.channel),
        getLimits: function (d) {
          return {
            limits: function () {
              if (d.type !== 'rossim.channel') {
                return Promise.resolve({});
              }
              const lim = limitsOf(d.channel);
              const out = {};
              const level = (name, color, low, high) => {
                if (low !== null || high !== null) {
                  out[name] = {};
                  if (low !== null) {
                    out[name].low = { color: color, value: low };
                  }
                  if (high !== null) {
                    out[name].high = { color: color, value: high };
                  }
                }
              };
              level('CRITICAL', 'red', lim.low, lim.high);
              level('WARNING', 'yellow', lim.warnLow, lim.warnHigh);
              return Promise.resolve(out);
            }
          };
        }
      });
      openmct.objectViews.addProvider(groundTrackView(openmct));
      openmct.objectViews.addProvider(contactTableView(openmct));
    };
  }

  async function start(openmct) {
    const [info, dict, commands] = await Promise.all([getJSON('/api/info'),
      getJSON('/api/dictionary'), getJSON('/api/commands')]);
    window.RossimMissionControl.info = info;
    const realtime = new Realtime();
    window.RossimMissionControl.realtime = realtime;
    const clock = new RossimClock(realtime, info.clock.t);
    openmct.setAssetPath('/openmct/');
    openmct.install(openmct.plugins.LocalStorage());
    openmct.install(openmct.plugins.Espresso());
    openmct.install(openmct.plugins.MyItems());
    openmct.install(openmct.plugins.UTCTimeSystem());
    openmct.time.addClock(clock);
    openmct.install(openmct.plugins.DisplayLayout({ showAsView: ['summary-widget'] }));
    openmct.install(openmct.plugins.LADTable());
    openmct.install(openmct.plugins.Clock({ enableClockIndicator: false }));
    const fixed = {
      name: 'Fixed', timeSystem: 'utc',
      bounds: { start: info.start, end: info.end },
      presets: [
        { label: 'Whole run', bounds: { start: info.start, end: info.end } },
        { label: 'First year', bounds: { start: info.start, end: info.start + 365 * DAY } },
        { label: 'Last 30 days', bounds: { start: info.end - 30 * DAY, end: info.end } }
      ],
      records: 10
    };
    const live = {
      name: 'Realtime', timeSystem: 'utc', clock: 'rossim',
      // Open MCT shows clock offsets as hh:mm:ss (under a day): at 1,000x, 12 simulated
      // hours pass in 43 s; the fixed time span is for longer looks back.
      clockOffsets: { start: -12 * HOUR, end: HOUR },
      presets: [
        { label: '1 hour', bounds: { start: -HOUR, end: 10 * 60 * 1000 } },
        { label: '6 hours', bounds: { start: -6 * HOUR, end: HOUR } },
        { label: '12 hours', bounds: { start: -12 * HOUR, end: HOUR } },
        { label: '23 hours', bounds: { start: -23 * HOUR, end: HOUR } }
      ]
    };
    // A replay opens on the whole run (fixed span), a live run on the clock (real time).
    openmct.install(openmct.plugins.Conductor({
      menuOptions: info.mode === 'live' ? [live, fixed] : [fixed, live]
    }));
    if (info.mode !== 'live' && !/[?&]tc\.mode=/.test(location.href)) {
      // The conductor sets the clock's offsets even in fixed mode, which moves the bounds to
      // the clock's week: show the whole run first (the URL's tc.* parameters still win).
      openmct.time.setBounds({ start: info.start, end: info.end });
    }
    openmct.install(RossimPlugin(info, dict, realtime));
    controlIndicator(openmct, info, realtime, commands);
    openmct.start();
  }

  window.RossimMissionControl = { start: start, buildModel: buildModel, info: null };
})();
