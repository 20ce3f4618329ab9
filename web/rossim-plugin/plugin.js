/*
 * rossim plugin for NASA Open MCT (Apache-2.0). Plain JavaScript ES modules, no build step, no
 * CDN: web/index.html imports this file, which imports the others from /rossim/.
 *
 * It reads the server's API (src/rossim/serve/app.py) and gives Open MCT:
 *  - an object tree: ROS -> subsystems -> channels (telemetry metadata with units, formats and
 *    limits), the event stream, alarms, visits (and contacts when the run has them), a ready
 *    display layout and a ground-track map (objects.js; the map groundtrack.js, the contact
 *    windows table contacts.js);
 *  - a historical telemetry provider (GET /api/telemetry/<channel>, min/max downsampled to the
 *    plot's width) and a real-time one (WebSocket /ws/realtime, the server's replay/live clock)
 *    (telemetry.js, realtime.js);
 *  - a limit evaluator from the channel limits (and event severities) (limits.js);
 *  - a "rossim" clock for Open MCT's real-time time conductor, ticking the simulated time
 *    (realtime.js), and the clock and command panel (control.js).
 * This file installs them: the object types and providers, the time conductor, start().
 */

import { DAY, HOUR, NS, getJSON, id } from './api.js';
import { contactTableView } from './contacts.js';
import { controlIndicator } from './control.js';
import { groundTrackView } from './groundtrack.js';
import { buildModel } from './objects.js';
import { Realtime, RossimClock } from './realtime.js';
import { telemetryProvider } from './telemetry.js';

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
    openmct.telemetry.addProvider(telemetryProvider(openmct, realtime));
    openmct.objectViews.addProvider(groundTrackView(openmct, info));
    openmct.objectViews.addProvider(contactTableView(openmct, info));
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

// The page's handle (web/index.html; the browser tests read `realtime.stats`).
window.RossimMissionControl = { start: start, buildModel: buildModel, info: null };

export { start, buildModel };
