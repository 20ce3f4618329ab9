// rossim mission control: the telemetry provider of the channels and event streams:
// history from the archive or the live run (GET /api/telemetry/<channel>, min/max downsampled
// to the plot's width; GET /api/events with the stream's filter), real time from the WebSocket
// (in Open MCT's real-time mode only), and the limits of limits.js.

import { getJSON } from './api.js';
import { channelLimitEvaluator, eventLimitEvaluator, plotLimits } from './limits.js';

export function telemetryProvider(openmct, realtime) {
  return {
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
    getLimits: plotLimits
  };
}
