// rossim mission control: the real-time stream (one WebSocket, /ws/realtime) and the
// simulation clock it drives, for Open MCT's real-time time conductor.

// A small event emitter with the interface Open MCT expects of a clock (on/once/off/emit).
export class Emitter {
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
export class Realtime extends Emitter {
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
export class RossimClock extends Emitter {
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
