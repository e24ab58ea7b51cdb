import type { BotAnswerInput, BotLanguage } from '@parley/common';
import type { Logger } from '../logger';
import { BotAnswer } from './bot-answer.model';
import { forgetBotAnswers } from './answers.matcher';

type Entry = Omit<BotAnswerInput, 'questions' | 'answers'> & { questions: Record<BotLanguage, string[]>; answers: Record<BotLanguage, string> };

/**
 * The demo brand's knowledge base (Acme, an airline that also sells in its online shop): what
 * customers ask the care team most, a few ways each per language, and one answer per language.
 */
const entries: Entry[] = [
  {
    intent: 'baggage-allowance',
    questions: {
      en: [
        'How much baggage can I bring?',
        'What is the baggage allowance?',
        'How many bags can I check in?',
        'What is the weight limit for checked luggage?',
        'Can I take a carry-on suitcase in the cabin?',
        'What size can my hand luggage be?',
      ],
      es: [
        '¿Cuánto equipaje puedo llevar?',
        '¿Cuál es la franquicia de equipaje?',
        '¿Cuántas maletas puedo facturar?',
        '¿Cuál es el peso máximo de la maleta facturada?',
        '¿Puedo llevar una maleta de mano en cabina?',
        '¿Qué tamaño puede tener el equipaje de mano?',
      ],
      fr: [
        'Combien de bagages puis-je emporter ?',
        'Quelle est la franchise bagages ?',
        'Combien de valises puis-je enregistrer ?',
        'Quel est le poids maximum pour un bagage en soute ?',
        'Puis-je prendre une valise en cabine ?',
        'Quelle taille pour le bagage à main ?',
      ],
    },
    answers: {
      en: 'Every Acme ticket includes one cabin bag (up to 55 × 40 × 20 cm and 10 kg) and a small personal item. Checked bags depend on your fare: Light has none, Standard includes one of 23 kg, Flex two. You can add bags in Manage my booking up to 3 hours before departure.',
      es: 'Todos los billetes de Acme incluyen un equipaje de mano (hasta 55 × 40 × 20 cm y 10 kg) y un artículo personal pequeño. Las maletas facturadas dependen de tu tarifa: Light no incluye ninguna, Standard una de 23 kg y Flex dos. Puedes añadir maletas en Gestionar mi reserva hasta 3 horas antes de la salida.',
      fr: "Chaque billet Acme comprend un bagage cabine (jusqu'à 55 × 40 × 20 cm et 10 kg) et un petit article personnel. Les bagages en soute dépendent de votre tarif : aucun en Light, un de 23 kg en Standard, deux en Flex. Vous pouvez ajouter des bagages dans Gérer ma réservation jusqu'à 3 heures avant le départ.",
    },
  },
  {
    intent: 'lost-baggage',
    questions: {
      en: [
        'My bag did not arrive',
        'I lost my luggage',
        'My suitcase is missing after my flight',
        'Where is my delayed baggage?',
        'My bag was damaged on the flight',
        'The airline lost my suitcase',
        'My bag never arrived',
      ],
      es: [
        'Mi maleta no ha llegado',
        'He perdido mi equipaje',
        'Falta mi maleta después del vuelo',
        '¿Dónde está mi equipaje retrasado?',
        'Mi maleta llegó rota',
        'Habéis perdido mi maleta',
        'Mi equipaje nunca llegó',
      ],
      fr: [
        "Ma valise n'est pas arrivée",
        "J'ai perdu mes bagages",
        'Mon bagage manque après mon vol',
        'Où est mon bagage retardé ?',
        'Ma valise est arrivée abîmée',
        'Vous avez perdu ma valise',
        "Mon bagage n'est jamais arrivé",
      ],
    },
    answers: {
      en: "Sorry your bag didn't make it with you. If you are still at the airport, please report it at the baggage desk and keep the file reference. Otherwise send us your booking reference and the bag tag number in a private message: we trace delayed bags within 48 hours and deliver them to your address.",
      es: 'Sentimos que tu maleta no llegara contigo. Si sigues en el aeropuerto, declárala en el mostrador de equipajes y guarda la referencia del expediente. Si no, envíanos por mensaje privado tu código de reserva y el número de la etiqueta de la maleta: localizamos el equipaje retrasado en 48 horas y te lo llevamos a casa.',
      fr: "Désolés que votre bagage ne soit pas arrivé avec vous. Si vous êtes encore à l'aéroport, déclarez-le au comptoir bagages et gardez la référence du dossier. Sinon, envoyez-nous en message privé votre référence de réservation et le numéro de l'étiquette : nous retrouvons les bagages retardés sous 48 heures et les livrons chez vous.",
    },
  },
  {
    intent: 'refunds',
    questions: {
      en: [
        'How do I get a refund?',
        'Can I get my money back?',
        'When will I receive my refund?',
        'I want a refund for my cancelled flight',
        'How long do refunds take?',
        'My refund has not arrived yet',
      ],
      es: [
        '¿Cómo pido un reembolso?',
        '¿Me devolvéis el dinero?',
        '¿Cuándo recibiré mi reembolso?',
        'Quiero el reembolso de mi vuelo cancelado',
        '¿Cuánto tardan los reembolsos?',
        'Todavía no me ha llegado el reembolso',
        '¿Cuándo me devuelven el dinero?',
      ],
      fr: [
        'Comment obtenir un remboursement ?',
        'Pouvez-vous me rembourser ?',
        'Quand vais-je recevoir mon remboursement ?',
        'Je veux être remboursé de mon vol annulé',
        'Combien de temps prennent les remboursements ?',
        "Mon remboursement n'est toujours pas arrivé",
      ],
    },
    answers: {
      en: 'You can ask for a refund in Manage my booking > Cancel and refund. If Acme cancelled your flight the refund is automatic. Refunds go back to the card you paid with within 7 working days; your bank may take a few more days to show it.',
      es: 'Puedes pedir el reembolso en Gestionar mi reserva > Cancelar y reembolsar. Si Acme canceló tu vuelo, el reembolso es automático. Los reembolsos vuelven a la tarjeta con la que pagaste en 7 días laborables; tu banco puede tardar unos días más en mostrarlo.',
      fr: "Vous pouvez demander un remboursement dans Gérer ma réservation > Annuler et rembourser. Si Acme a annulé votre vol, le remboursement est automatique. Il revient sur la carte utilisée pour le paiement sous 7 jours ouvrés ; votre banque peut mettre quelques jours de plus à l'afficher.",
    },
  },
  {
    intent: 'booking-changes',
    questions: {
      en: [
        'How can I change my booking?',
        'Can I change the date of my flight?',
        'I need to change the name on my ticket',
        'How do I cancel my reservation?',
        'Is there a fee to change my flight?',
        'Can I move my flight to another day?',
        'Can I reschedule my trip?',
      ],
      es: [
        '¿Cómo puedo cambiar mi reserva?',
        '¿Puedo cambiar la fecha de mi vuelo?',
        'Necesito cambiar el nombre del billete',
        '¿Cómo cancelo mi reserva?',
        '¿Cuesta algo cambiar el vuelo?',
        '¿Puedo pasar mi vuelo a otro día?',
      ],
      fr: [
        'Comment modifier ma réservation ?',
        'Puis-je changer la date de mon vol ?',
        'Je dois changer le nom sur mon billet',
        'Comment annuler ma réservation ?',
        'Y a-t-il des frais pour changer de vol ?',
        'Puis-je décaler mon vol à un autre jour ?',
      ],
    },
    answers: {
      en: 'You can change the date, time or passenger name in Manage my booking with your booking reference and surname. Flex fares change for free; other fares pay the fare difference plus a €40 fee. Changes are possible up to 2 hours before departure.',
      es: 'Puedes cambiar la fecha, la hora o el nombre del pasajero en Gestionar mi reserva con tu código de reserva y tu apellido. Con la tarifa Flex el cambio es gratis; con las demás pagas la diferencia de tarifa y 40 € de gestión. Puedes hacer cambios hasta 2 horas antes de la salida.',
      fr: "Vous pouvez changer la date, l'heure ou le nom du passager dans Gérer ma réservation avec votre référence et votre nom. Les tarifs Flex se modifient gratuitement ; les autres paient la différence de tarif et 40 € de frais. Les modifications sont possibles jusqu'à 2 heures avant le départ.",
    },
  },
  {
    intent: 'care-hours',
    questions: {
      en: [
        'What are your opening hours?',
        'When is customer service open?',
        'What time does your support team work?',
        'Are you open on weekends?',
        'Are you open on Sundays and bank holidays?',
      ],
      es: [
        '¿Cuál es vuestro horario de atención?',
        '¿A qué hora abre atención al cliente?',
        '¿Qué horario tiene el servicio de atención?',
        '¿Abrís los fines de semana?',
        '¿Abrís los domingos y festivos?',
      ],
      fr: [
        "Quels sont vos horaires d'ouverture ?",
        'Quand le service client est-il ouvert ?',
        'À quelle heure ouvre le service client ?',
        'Êtes-vous ouverts le week-end ?',
        'Ouvrez-vous le dimanche et les jours fériés ?',
      ],
    },
    answers: {
      en: 'Our care team answers here from 9:00 to 18:00 (London time), Monday to Friday. Outside those hours I can help with common questions, and a person will pick up your conversation as soon as the team is back.',
      es: 'Nuestro equipo de atención responde aquí de 9:00 a 18:00 (hora de Londres), de lunes a viernes. Fuera de ese horario puedo ayudarte con las preguntas más frecuentes, y una persona retomará tu conversación en cuanto vuelva el equipo.',
      fr: "Notre équipe répond ici de 9 h à 18 h (heure de Londres), du lundi au vendredi. En dehors de ces horaires, je peux vous aider pour les questions courantes, et une personne reprendra votre conversation dès le retour de l'équipe.",
    },
  },
  {
    intent: 'check-in',
    questions: {
      en: [
        'How do I check in online?',
        'When does online check-in open?',
        'I cannot check in for my flight',
        'Where do I get my boarding pass?',
        'How early should I be at the airport?',
      ],
      es: [
        '¿Cómo hago el check-in online?',
        '¿Cuándo abre la facturación online?',
        'No puedo hacer el check-in de mi vuelo',
        '¿Dónde consigo mi tarjeta de embarque?',
        '¿Con cuánta antelación tengo que estar en el aeropuerto?',
      ],
      fr: [
        "Comment faire l'enregistrement en ligne ?",
        "Quand ouvre l'enregistrement en ligne ?",
        "Je n'arrive pas à m'enregistrer pour mon vol",
        "Où trouver ma carte d'embarquement ?",
        "À quelle heure dois-je être à l'aéroport ?",
      ],
    },
    answers: {
      en: 'Online check-in opens 30 hours and closes 2 hours before departure, on our website or app: you get your boarding pass by email and in the app. Please be at the airport 2 hours before a European flight and 3 hours before a long-haul one.',
      es: 'La facturación online abre 30 horas antes de la salida y cierra 2 horas antes, en nuestra web o en la app: recibes la tarjeta de embarque por email y en la app. Llega al aeropuerto 2 horas antes de un vuelo europeo y 3 horas antes de uno de largo radio.',
      fr: "L'enregistrement en ligne ouvre 30 heures avant le départ et ferme 2 heures avant, sur notre site ou l'application : vous recevez votre carte d'embarquement par e-mail et dans l'application. Soyez à l'aéroport 2 heures avant un vol européen et 3 heures avant un long-courrier.",
    },
  },
  {
    intent: 'order-status',
    questions: {
      en: ['Where is my order?', 'My order has not arrived', 'The tracking of my order has not updated', 'When will my order ship?'],
      es: ['¿Dónde está mi pedido?', 'Mi pedido no ha llegado', 'El seguimiento de mi pedido no se actualiza', '¿Cuándo sale mi pedido?'],
      fr: ['Où en est ma commande ?', "Ma commande n'est pas arrivée", "Le suivi de ma commande n'a pas bougé", 'Quand ma commande sera-t-elle expédiée ?'],
    },
    answers: {
      en: 'Orders from the Acme shop ship within 2 working days and the tracking link updates once the carrier scans the parcel. Send us your order number in a private message and we will check where it is.',
      es: 'Los pedidos de la tienda Acme salen en 2 días laborables y el seguimiento se actualiza cuando el transportista escanea el paquete. Envíanos tu número de pedido por mensaje privado y miramos dónde está.',
      fr: "Les commandes de la boutique Acme partent sous 2 jours ouvrés et le suivi se met à jour dès que le transporteur scanne le colis. Envoyez-nous votre numéro de commande en message privé et nous regardons où il en est.",
    },
  },
];

const inputOf = (entry: Entry) => ({
  intent: entry.intent,
  questions: Object.entries(entry.questions).flatMap(([language, texts]) => texts.map((text) => ({ language: language as BotLanguage, text }))),
  answers: Object.entries(entry.answers).map(([language, text]) => ({ language: language as BotLanguage, text })),
  visibility: entry.visibility ?? 'both',
  active: entry.active ?? true,
});

/** The demo knowledge base as entries (the matcher's labelled tests run over it). */
export const demoBotAnswers = entries.map(inputOf);

/**
 * Adds the demo entries whose intent is not there yet: upserted by intent with $setOnInsert,
 * so an admin's edit of an entry is never overwritten, and a second run changes nothing.
 */
export async function seedBotAnswers(log?: Logger): Promise<number> {
  let added = 0;
  for (const entry of demoBotAnswers) {
    const now = new Date();
    // No timestamps from mongoose: its $set of updatedAt would touch an entry an admin edited.
    const result = await BotAnswer.updateOne({ intent: entry.intent }, { $setOnInsert: { ...entry, createdAt: now, updatedAt: now } }, { upsert: true, timestamps: false });
    added += result.upsertedCount;
  }
  if (added > 0) forgetBotAnswers();
  log?.info({ added, entries: demoBotAnswers.length }, 'bot answers seeded');
  return added;
}
