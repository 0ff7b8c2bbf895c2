// The demo page: pick a service and a day, see free slots, book one, see a coded error on a clash.
// Every string from data or the engine goes in through textContent, never as HTML.
import { CoordinatorError } from '/pkg/index.js';
import { company } from './sample-data.js';
import { openCompany, addDays, keeping, showKept } from './company.js';

const $ = (id) => document.getElementById(id);
const zone = company.timeZone;
const timeFmt = new Intl.DateTimeFormat(undefined, { timeZone: zone, hour: 'numeric', minute: '2-digit' });

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function say(kind, text, code) {
  const m = $('message');
  m.className = kind;
  m.replaceChildren();
  if (code) m.append(el('code', code), ' ');
  m.append(text);
}

const how = keeping(new URLSearchParams(location.search));
showKept(how.keep);
const { store, coordinator, tomorrow } = await openCompany(how);
// Every change goes through the store (IndexedDB by default: a reload keeps the bookings).
const write = (change) => (store ? store.write(change) : Promise.resolve().then(() => change(coordinator)));

const names = Object.fromEntries([...company.providers, ...company.clients, ...company.services].map((x) => [x.id, x.name]));
$('company').textContent = company.name;
$('zone').textContent = zone;
for (const s of company.services) $('service').append(el('option', `${s.name} (${s.durationMinutes} min)`, { value: s.id }));
$('date').value = tomorrow;
let chosen = null;

function render() {
  const serviceId = $('service').value;
  const date = $('date').value;
  chosen = null;
  $('details').hidden = true;
  const slots = $('slots');
  slots.replaceChildren();
  let found = [];
  try {
    found = coordinator.availability({ serviceId, from: date, to: addDays(date, 1) }).slots;
  } catch (e) {
    say('error', e.message, e.code);
  }
  if (found.length === 0) slots.append(el('p', 'No free slots that day.', { class: 'muted' }));
  for (const slot of found) {
    const who = slot.providerIds.map((id) => names[id]).join(', ');
    const b = el('button', timeFmt.format(new Date(slot.start)), { type: 'button', 'aria-pressed': 'false', title: who, 'data-start': slot.start });
    b.addEventListener('click', () => {
      slots.querySelectorAll('[aria-pressed="true"]').forEach((x) => x.setAttribute('aria-pressed', 'false'));
      b.setAttribute('aria-pressed', 'true');
      chosen = slot;
      $('chosen').textContent = `${timeFmt.format(new Date(slot.start))} with ${names[slot.providerIds[0]]}`;
      $('details').hidden = false;
      $('name').focus();
    });
    slots.append(b);
  }
  const rows = coordinator.bookings({ from: date, to: addDays(date, 1), status: ['tentative', 'confirmed', 'checked_in', 'completed'] });
  $('booked').replaceChildren(...rows.map((b) => {
    const tr = el('tr');
    tr.append(el('td', `${timeFmt.format(new Date(b.start))} – ${timeFmt.format(new Date(b.end))}`), el('td', names[b.serviceId] ?? b.serviceId),
      el('td', names[b.providerId] ?? b.providerId), el('td', b.clientIds.map((c) => names[c] ?? c).join(', ')), el('td', b.status));
    return tr;
  }));
  $('clash').disabled = rows.length === 0;
}

$('details').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!chosen) return;
  const id = `cl-web-${Date.now()}`;
  const [email, phone] = [$('email').value.trim(), $('phone').value.trim()];
  const name = $('name').value.trim() || 'Web client';
  const slot = chosen;
  try {
    // One write: the client and their booking, kept together or not at all.
    const booking = await write((c) => {
      c.upsertClient({ id, name, ...(email ? { email } : {}), ...(phone ? { phone } : {}) });
      return c.book({ serviceId: $('service').value, providerId: slot.providerIds[0], clientIds: [id], start: slot.start });
    });
    names[id] = name;
    say('ok', `Booked ${names[booking.serviceId]} at ${timeFmt.format(new Date(booking.start))} with ${names[booking.providerId]} (booking ${booking.id}).`);
  } catch (e) {
    if (!(e instanceof CoordinatorError)) throw e;
    say('error', e.message, e.code);
  }
  render();
});

$('clash').addEventListener('click', async () => {
  const date = $('date').value;
  const [first] = coordinator.bookings({ from: date, to: addDays(date, 1), status: ['confirmed'] });
  if (!first) return;
  try {
    await write((c) => c.book({ serviceId: first.serviceId, providerId: first.providerId, start: first.start }));
    say('ok', 'Booked (unexpected).');
  } catch (e) {
    say('error', e.message, e.code);
  }
});

$('service').addEventListener('change', render);
$('date').addEventListener('change', render);
render();
