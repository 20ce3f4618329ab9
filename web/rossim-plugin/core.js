/*
 * rossim plugin for NASA Open MCT (Apache-2.0). Plain JavaScript, no build step, no CDN.
 *
 * core.js: the plugin's namespace (window.RossimMissionControl) and what every file uses:
 * the object namespace, time units, id(), getJSON() and a small event emitter. The other files
 * (loaded after it by web/index.html, in this order) add to the namespace: realtime.js,
 * model.js, groundtrack.js, contacts.js, control.js, limits.js, plugin.js.
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

  window.RossimMissionControl = { NS: NS, HOUR: HOUR, DAY: DAY, id: id, getJSON: getJSON,
    Emitter: Emitter, info: null };
})();
