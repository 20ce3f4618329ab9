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
