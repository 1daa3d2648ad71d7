/* Small DOM helpers shared by the pages' modules. */

export const $ = (id) => document.getElementById(id);

/** A toggle button's aria-pressed and its label. */
export function toggleLabel(button, pressed, onText, offText) {
  button.setAttribute('aria-pressed', String(pressed));
  button.textContent = pressed ? onText : offText;
}
