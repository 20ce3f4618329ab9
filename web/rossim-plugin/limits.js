// rossim mission control: limits. A channel's samples are coloured by its limits (GET
// /api/dictionary), events by their severity, and plots draw both limit levels.
// low/high: critical (red); warning_low/warning_high: warning (yellow), where the engine's
// limit holds only in some states (a module's crewed band: GET /api/dictionary)
export function limitsOf(ch) {
  const v = (x) => (x === undefined ? null : x);
  return { low: v(ch.low), high: v(ch.high), warnLow: v(ch.warning_low),
    warnHigh: v(ch.warning_high) };
}

export function channelLimitEvaluator(ch) {
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

export const eventLimitEvaluator = {
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

// The limit levels a plot draws (Open MCT's getLimits): CRITICAL red, WARNING yellow.
export function plotLimits(d) {
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
