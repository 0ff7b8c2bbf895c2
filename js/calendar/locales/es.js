// Spanish words of <service-calendar>'s booking flow and toolbar (the console's fall back to
// English until translated); plurals by Intl.PluralRules. Loaded only when `locale` is Spanish.
const pr = new Intl.PluralRules('es');
const one = (n) => pr.select(n) === 'one';

export default {
  previous: 'Periodo anterior', next: 'Periodo siguiente', today: 'Hoy', zone: 'Zona', timeZone: 'Zona horaria',
  view: 'Vista', service: 'Servicio',
  views: { week: 'Semana', day: 'Día', 'resource-day': 'Técnicos, día', 'resource-week': 'Técnicos, semana', month: 'Mes', agenda: 'Agenda', dispatch: 'Planificación', reports: 'Informes' },
  badZone: (zone) => `zona horaria desconocida \`${zone}\``,
  badLocale: (locale) => `\`${locale}\` no es un idioma (por ejemplo en-US o es-ES)`,
  badDate: (date) => `\`${date}\` no es un día (AAAA-MM-DD)`,
  serviceOption: (name, minutes) => `${name} (${minutes} min)`,
  dayFree: (day, n) => `${day}, ${n ? `${n} ${one(n) ? 'hora libre' : 'horas libres'}` : 'sin horas libres'}`,
  freeCount: (n) => `${n} ${one(n) ? 'libre' : 'libres'}`,
  freeOn: (day) => `Horas libres el ${day}`,
  freeTimes: 'Horas libres',
  chooseDay: 'Elija un día',
  yourName: 'Su nombre', contact: 'Correo o teléfono', notesOptional: 'Notas (opcional)',
  confirm: 'Confirmar la cita', confirming: 'Confirmando…',
  waiting: 'Esperando la confirmación de la cita',
  noFreeTimes: (day) => `${day}: sin horas libres`,
  held: (time, minutes) => `Le reservamos las ${time} durante ${minutes} minutos. Escriba su nombre y contacto para confirmar.`,
  requestSent: 'Solicitud enviada.',
  booked: (day, time) => `Reservado: ${day} a las ${time}.`,
  seatsLeft: (n) => `${n} ${one(n) ? 'plaza libre' : 'plazas libres'}`,
  confirmingWhat: (service, day, time, zone, provider) => `${service}, ${day} a las ${time} (${zone})${provider ? `, con ${provider}` : ''}`,
  address: 'Dirección de la visita', findTimes: 'Buscar horas de llegada', changeAddress: 'Cambiar la dirección',
  addressFirst: 'Escriba la dirección de la visita para ver cuándo podemos ir.',
  addressNotFound: (text) => `No se encontró ningún lugar para «${text}».`,
  visitAt: (address) => `Visita en ${address}`,
  dayWindows: (day, n) => `${day}, ${n ? `${n} ${one(n) ? 'franja de llegada' : 'franjas de llegada'}` : 'sin franjas de llegada'}`,
  windowsOn: (day) => `Franjas de llegada el ${day}`,
  window: (from, to) => `${from} – ${to}`,
  arrivalHeld: (from, to, minutes) => `Llegada entre las ${from} y las ${to} reservada durante ${minutes} minutos. Escriba su nombre y contacto para confirmar.`,
  bookedArrival: (day, from, to) => `Reservado: ${day}, llegada entre las ${from} y las ${to}.`,
  status: { held: 'reservado', tentative: 'provisional', confirmed: 'confirmado', checked_in: 'llegado', completed: 'completado', cancelled: 'cancelado', late_cancelled: 'cancelado tarde', no_show: 'no se presentó', provider_no_show: 'el técnico no se presentó' },
  close: 'Cerrar',
};
