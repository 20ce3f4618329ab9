// rossim mission control: what every module of the plugin shares: the object namespace, time
// units and reading the server's API (GET, errors as the server's JSON `error`).

export const NS = 'rossim';
export const HOUR = 3600 * 1000;
export const DAY = 24 * HOUR;

// An Open MCT identifier in the rossim namespace.
export function id(key) {
  return { namespace: NS, key: key };
}

// GET `url` as JSON; a 4xx/5xx throws an Error with the server's message.
export async function getJSON(url) {
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
