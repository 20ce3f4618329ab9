// rossim mission control: the clock and command panel. An Open MCT indicator (status bar):
// the simulation clock, pause/resume, speed, and in a live run the command panel. Control
// needs the token `rossim serve` prints (page URL ?token=..., kept for the tab's session);
// viewing does not.
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
  let out = null;
  try {
    out = await res.json();
  } catch (e) {
    /* not JSON: a crash's or a proxy's page; its status says what happened */
  }
  if (res.status === 401) {
    sessionStorage.removeItem('rossim.token');
  }
  if (!res.ok || out === null) {
    throw new Error((out && out.error) || res.status + ' ' + res.statusText);
  }
  return out;
}

// The panel's arguments as the command's JSON fields: `name=value`, separated by spaces or
// commas; true, false, null (`at=null`: now), decimal numbers, else text (in double quotes
// when it holds spaces or commas: visit_name="Progress MS-40"). A name without a value, or given
// twice, is an error here rather than a 0 or a silent choice sent to the engine.
export function parseArgs(text) {
  const out = {};
  if ((text.match(/"/g) || []).length % 2) {
    throw new Error('a quote is not closed: ' + text);
  }
  for (const part of text.match(/(?:[^\s,"]+|"[^"]*")+/g) || []) {
    const eq = part.indexOf('=');
    if (eq <= 0) {
      throw new Error('arguments are name=value: ' + part);
    }
    const k = part.slice(0, eq);
    const v = part.slice(eq + 1);
    if (v === '') {
      throw new Error(k + '= has no value (name=value; leave the field out for its default)');
    }
    if (Object.prototype.hasOwnProperty.call(out, k)) {
      throw new Error(k + ' is given twice');
    }
    out[k] = /^".*"$/.test(v) ? v.slice(1, -1) : v === 'true' ? true : v === 'false' ? false :
      v === 'null' ? null : /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(v) &&
      Number.isFinite(Number(v)) ? Number(v) : v;
  }
  return out;
}

// What the engine answered to a command, in a line: refused with its reason, scheduled for
// its time (`at` in the future), or done with what it did.
export function describeResult(name, res) {
  if (res.accepted === false) {
    return name + ': refused: ' + (res.reason || '');
  }
  if (res.detail === 'scheduled') {
    return name + ': scheduled for ' + (res.time ? res.time.replace('T', ' ') + 'Z' : 'later');
  }
  return name + ': done ' + (res.detail || '');
}

export function controlIndicator(openmct, info, realtime, commands) {
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
  // the answer as the server wrote it (units and field names, not the status bar's capitals),
  // on one line that cannot push the panel out of the bar: cut, and whole in its tooltip
  status.style.cssText = 'text-transform:none;overflow:hidden;text-overflow:ellipsis;' +
    'max-width:24em;min-width:0';
  const say = (text) => {
    status.textContent = text;
    status.title = text;
  };
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
    say(String(e.message || e));
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
        say(describeResult(sel.value, r.result || {}));
      } catch (e) {
        say(sel.value + ': ' + (e.message || e));
      }
    };
    el.append(sel, args, send);
  }
  el.append(status);
  openmct.indicators.add({ key: 'rossim-control', element: el, priority: 100 });
}
