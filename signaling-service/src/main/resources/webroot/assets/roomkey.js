/*
 * The room key of docs/e2ee.md as text: 32 bytes, written as exactly 43 base64url characters, only
 * ever in a link's fragment (#key=…). Used by the start page (a fresh key) and e2ee.js (reading
 * one from the link or the pre-join field).
 */

const KEY_CHARS = /^[A-Za-z0-9_-]{43}$/;

function fromBase64url(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - text.length % 4) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function toBase64url(bytes) {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A fresh random room key, as text. */
export function newKey() {
  return toBase64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** 32 bytes from exactly 43 base64url characters (in canonical form), else null. */
function decodeKey(text) {
  if (!KEY_CHARS.test(text)) return null;
  const key = fromBase64url(text);
  return key.length === 32 && toBase64url(key) === text ? key : null;
}

/** The value of the fragment's key parameter ('' for "#key="), or null if it has none. */
export function keyParam(hash) {
  for (const part of hash.replace(/^#/, '').split('&')) {
    if (part === 'key' || part.startsWith('key=')) return part.slice(4);
  }
  return null;
}

/**
 * What a fragment, a whole invite link or a bare key holds: {key} (32 bytes), or {damaged: true}
 * (a key is there but unusable), or {} (no key at all).
 */
export function readKey(text, isFragment) {
  text = (text || '').trim();
  let value = text;
  if (isFragment || text.includes('#')) {
    value = keyParam(text.slice(text.indexOf('#') + 1));
    if (value === null) return isFragment || !text ? {} : { damaged: true };
  } else if (!text) {
    return {};
  }
  const key = decodeKey(value);
  return key ? { key } : { damaged: true };
}

/** A key from "#key=…", from a whole invite link, or a bare base64url key; null if none or damaged. */
export function parseKey(text) {
  return readKey(text).key || null;
}
