/*
 * rossim mission control: the Open MCT plugin (types, object and composition providers,
 * historical telemetry GET /api/telemetry/<channel> and /api/events, real-time subscriptions,
 * limits, the views) and start(), which web/index.html calls once Open MCT is loaded.
 */
(function (RMC) {
  'use strict';

  const { NS, HOUR, DAY, id, getJSON, Realtime, RossimClock, buildModel, groundTrackView,
    contactTableView, controlIndicator, limitsOf, channelLimitEvaluator,
    eventLimitEvaluator } = RMC;

  // ------------------------------------------------------------------ plugin
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

  RMC.start = start;
})(window.RossimMissionControl);
