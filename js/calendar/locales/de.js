// German words of <service-calendar>'s booking flow and toolbar (the console's fall back to
// English until translated); plurals by Intl.PluralRules. Loaded only when `locale` is German.
const pr = new Intl.PluralRules('de');
const one = (n) => pr.select(n) === 'one';

export default {
  previous: 'Vorheriger Zeitraum', next: 'Nächster Zeitraum', today: 'Heute', zone: 'Zeitzone', timeZone: 'Zeitzone',
  view: 'Ansicht', service: 'Leistung',
  views: { week: 'Woche', day: 'Tag', 'resource-day': 'Techniker, Tag', 'resource-week': 'Techniker, Woche', month: 'Monat', agenda: 'Agenda', dispatch: 'Einsatzplanung', reports: 'Berichte' },
  badZone: (zone) => `unbekannte Zeitzone \`${zone}\``,
  badLocale: (locale) => `\`${locale}\` ist keine Sprache (zum Beispiel en-US oder de-DE)`,
  badDate: (date) => `\`${date}\` ist kein Tag (JJJJ-MM-TT)`,
  serviceOption: (name, minutes) => `${name} (${minutes} Min.)`,
  dayFree: (day, n) => `${day}, ${n ? `${n} ${one(n) ? 'freier Termin' : 'freie Termine'}` : 'keine freien Termine'}`,
  freeCount: (n) => `${n} frei`,
  freeOn: (day) => `Freie Termine am ${day}`,
  freeTimes: 'Freie Termine',
  chooseDay: 'Tag wählen',
  yourName: 'Ihr Name', contact: 'E-Mail oder Telefon', notesOptional: 'Hinweise (optional)',
  confirm: 'Termin bestätigen', confirming: 'Wird bestätigt…',
  waiting: 'Warten auf die Bestätigung des Termins',
  noFreeTimes: (day) => `${day}: keine freien Termine`,
  held: (time, minutes) => `${time} ist ${minutes} Minuten für Sie reserviert. Geben Sie Name und Kontakt ein, um zu bestätigen.`,
  requestSent: 'Anfrage gesendet.',
  booked: (day, time) => `Gebucht: ${day} um ${time}.`,
  seatsLeft: (n) => `${n} ${one(n) ? 'Platz' : 'Plätze'} frei`,
  confirmingWhat: (service, day, time, zone, provider) => `${service}, ${day} um ${time} (${zone})${provider ? `, mit ${provider}` : ''}`,
  address: 'Adresse des Einsatzes', findTimes: 'Ankunftszeiten suchen', changeAddress: 'Adresse ändern',
  addressFirst: 'Geben Sie die Adresse ein, um zu sehen, wann wir kommen können.',
  addressNotFound: (text) => `Kein Ort für „${text}“ gefunden.`,
  visitAt: (address) => `Einsatz in ${address}`,
  dayWindows: (day, n) => `${day}, ${n ? `${n} Ankunftsfenster` : 'keine Ankunftsfenster'}`,
  windowsOn: (day) => `Ankunftsfenster am ${day}`,
  window: (from, to) => `${from} – ${to}`,
  arrivalHeld: (from, to, minutes) => `Ankunft zwischen ${from} und ${to} ist ${minutes} Minuten reserviert. Geben Sie Name und Kontakt ein, um zu bestätigen.`,
  bookedArrival: (day, from, to) => `Gebucht: ${day}, Ankunft zwischen ${from} und ${to}.`,
  status: { held: 'reserviert', tentative: 'vorläufig', confirmed: 'bestätigt', checked_in: 'eingecheckt', completed: 'erledigt', cancelled: 'storniert', late_cancelled: 'spät storniert', no_show: 'nicht erschienen', provider_no_show: 'Techniker nicht erschienen' },
  close: 'Schließen',
};
