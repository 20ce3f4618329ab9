// rossim mission control: the object tree built from GET /api/info and /api/dictionary:
// ROS -> subsystems -> channels (telemetry metadata with units and limits), the event
// streams (every event, alarms, warning and critical events, visits, contacts), the ground
// track, the contact windows table and the ready *Station overview* layout of PANELS.

import { NS, id } from './api.js';

// The cause (Detail) right after the time: a table in the overview's narrow panel shows its
// first columns only, and an alarm is read by its cause.
const EVENT_VALUES = [
  { key: 'utc', source: 'utc', name: 'Time', format: 'utc', hints: { domain: 1 } },
  { key: 'detail', name: 'Detail', format: 'string' },
  { key: 'severity', name: 'Severity', format: 'string' },
  { key: 'kind', name: 'Kind', format: 'string' },
  { key: 'subject', name: 'Subject', format: 'string' },
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

export function buildModel(info, dict) {
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
        location: NS + ':station', filter: s.filter, telemetry: { values: EVENT_VALUES },
        // the table's Name column repeats the stream's name on every row: hidden, so that
        // the time and the cause come first (Open MCT's telemetry table configuration)
        configuration: { hiddenColumns: { name: true } }
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
