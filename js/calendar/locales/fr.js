// French words of <service-calendar>'s booking flow and toolbar (the console's fall back to
// English until translated); plurals by Intl.PluralRules. Loaded only when `locale` is French.
const pr = new Intl.PluralRules('fr');
const one = (n) => pr.select(n) === 'one';

export default {
  previous: 'Période précédente', next: 'Période suivante', today: 'Aujourd’hui', zone: 'Fuseau', timeZone: 'Fuseau horaire',
  view: 'Vue', service: 'Prestation',
  views: { week: 'Semaine', day: 'Jour', 'resource-day': 'Techniciens, jour', 'resource-week': 'Techniciens, semaine', month: 'Mois', agenda: 'Agenda', dispatch: 'Planification', reports: 'Rapports' },
  badZone: (zone) => `fuseau horaire inconnu \`${zone}\``,
  badLocale: (locale) => `\`${locale}\` n’est pas une langue (par exemple en-US ou fr-FR)`,
  badDate: (date) => `\`${date}\` n’est pas un jour (AAAA-MM-JJ)`,
  serviceOption: (name, minutes) => `${name} (${minutes} min)`,
  dayFree: (day, n) => `${day}, ${n ? `${n} ${one(n) ? 'créneau libre' : 'créneaux libres'}` : 'aucun créneau libre'}`,
  freeCount: (n) => `${n} ${one(n) ? 'libre' : 'libres'}`,
  freeOn: (day) => `Créneaux libres le ${day}`,
  freeTimes: 'Créneaux libres',
  chooseDay: 'Choisissez un jour',
  yourName: 'Votre nom', contact: 'E-mail ou téléphone', notesOptional: 'Remarques (facultatif)',
  confirm: 'Confirmer le rendez-vous', confirming: 'Confirmation…',
  waiting: 'En attente de la confirmation du rendez-vous',
  noFreeTimes: (day) => `${day} : aucun créneau libre`,
  held: (time, minutes) => `${time} vous est réservé pendant ${minutes} minutes. Saisissez votre nom et vos coordonnées pour confirmer.`,
  requestSent: 'Demande envoyée.',
  booked: (day, time) => `Réservé : ${day} à ${time}.`,
  seatsLeft: (n) => `${n} ${one(n) ? 'place restante' : 'places restantes'}`,
  confirmingWhat: (service, day, time, zone, provider) => `${service}, ${day} à ${time} (${zone})${provider ? `, avec ${provider}` : ''}`,
  address: 'Adresse de l’intervention', findTimes: 'Trouver des heures d’arrivée', changeAddress: 'Changer d’adresse',
  addressFirst: 'Saisissez l’adresse de l’intervention pour voir quand nous pouvons venir.',
  addressNotFound: (text) => `Aucun lieu trouvé pour « ${text} ».`,
  visitAt: (address) => `Intervention : ${address}`,
  dayWindows: (day, n) => `${day}, ${n ? `${n} ${one(n) ? 'plage d’arrivée' : 'plages d’arrivée'}` : 'aucune plage d’arrivée'}`,
  windowsOn: (day) => `Plages d’arrivée le ${day}`,
  window: (from, to) => `${from} – ${to}`,
  arrivalHeld: (from, to, minutes) => `Arrivée entre ${from} et ${to} réservée pendant ${minutes} minutes. Saisissez votre nom et vos coordonnées pour confirmer.`,
  bookedArrival: (day, from, to) => `Réservé : ${day}, arrivée entre ${from} et ${to}.`,
  status: { held: 'réservé', tentative: 'provisoire', confirmed: 'confirmé', checked_in: 'arrivé', completed: 'terminé', cancelled: 'annulé', late_cancelled: 'annulé tardivement', no_show: 'absent', provider_no_show: 'technicien absent' },
  close: 'Fermer',
};
