// The console demo's "Import a technician's calendar…": a .ics file from Google, Outlook, Apple
// or an Android app becomes that technician's busy time, through the page's store (kept like
// every change). What the file holds that could not be read is listed with its line and reason.
// Every text from the file is shown as text.

const REASONS = {
  CANCELLED: 'cancelled in the calendar', TRANSPARENT: 'marked free', NO_DTSTART: 'no start time',
  INVALID_TIME: 'a date that cannot be read', UNKNOWN_TIME_ZONE: 'an unknown time zone', INVALID_DURATION: 'a duration that cannot be read',
  INVALID_RULE: 'a repeat rule that cannot be read', END_BEFORE_START: 'ends before it starts', INVALID_ICALENDAR: 'a line that cannot be read',
};

function el(tag, attrs, ...kids) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== undefined && v !== false) n.setAttribute(k, v === true ? '' : v);
  n.append(...kids.filter((k) => k != null));
  return n;
}

/** Shows `parts` in `box` (a part left out, null, is not written as the text "null"). */
const show = (box, ...parts) => box.replaceChildren(...parts.filter((x) => x != null));

/** Opens the import dialog over `coordinator`, making the change through `write(fn)`. */
export function importDialog({ coordinator, write }) {
  const who = el('select', { name: 'provider', required: true },
    ...coordinator.providers().map((p) => el('option', { value: p.id }, p.name)));
  const file = el('input', { type: 'file', name: 'file', accept: '.ics,text/calendar', required: true });
  const strict = el('input', { type: 'checkbox', name: 'strict' });
  const result = el('div', { role: 'status', 'aria-live': 'polite', class: 'result' });
  const go = el('button', { type: 'submit' }, 'Import');
  const close = el('button', { type: 'button', value: 'close' }, 'Close');
  const form = el('form', { method: 'dialog' },
    el('h2', null, 'Import a technician\'s calendar'),
    el('p', { class: 'muted' }, 'An iCalendar file (.ics) exported from Google Calendar, Outlook, Apple Calendar or a phone: its events become the technician\'s busy time, its availability their working hours.'),
    el('label', null, 'Technician ', who),
    el('label', null, 'File ', file),
    el('label', null, strict, ' All or nothing (refuse the file if anything cannot be read)'),
    el('div', { class: 'row' }, go, close),
    result);
  const dialog = el('dialog', { id: 'import', 'aria-labelledby': 'import-title' }, form);
  form.querySelector('h2').id = 'import-title';
  close.onclick = () => dialog.close();
  form.onsubmit = async (e) => {
    e.preventDefault();
    const picked = file.files?.[0];
    if (!picked) return;
    go.disabled = true;
    show(result, el('p', null, 'Reading…'));
    try {
      const text = await picked.text();
      const s = await write((c) => c.importICalendar(text, { providerId: who.value, strict: strict.checked }));
      const name = who.selectedOptions[0]?.textContent ?? who.value;
      show(result,
        el('p', { class: 'ok' }, `${name}: ${s.events} ${s.events === 1 ? 'event' : 'events'} imported (${s.busy} busy ${s.busy === 1 ? 'time' : 'times'})` +
          `${s.availableDates ? `, working hours on ${s.availableDates} ${s.availableDates === 1 ? 'date' : 'dates'}` : ''}; ${s.skipped} left out.`),
        s.skips.length ? el('ul', { 'aria-label': 'Left out' }, ...s.skips.map((k) => el('li', { 'data-reason': k.reason },
          `Line ${k.line}${k.uid ? ` (${k.uid})` : ''}, ${REASONS[k.reason] ?? k.reason}: ${k.message}`))) : null,
        s.notes.length ? el('ul', { 'aria-label': 'Passed over' }, ...s.notes.map((n) => el('li', null, `Line ${n.line}: ${n.message}`))) : null);
    } catch (err) {
      show(result, el('p', { class: 'error', 'data-code': err.code ?? '' }, `Nothing was imported: ${err.message}`),
        err.details?.length > 1 ? el('ul', null, ...err.details.map((d) => el('li', null, d.message))) : null);
    } finally {
      go.disabled = false;
    }
  };
  document.body.append(dialog);
  dialog.addEventListener('close', () => dialog.remove());
  dialog.showModal();
  return dialog;
}
