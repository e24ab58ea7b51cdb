import type { BotLanguage } from '@parley/common';

/**
 * Every sentence the bot says, in each language it speaks. Warm and short, and never a promise
 * the bot cannot keep: it says a person will answer, never when a problem will be solved.
 */

/** When people can answer: now (the team is on shift), soon (no schedule says), or at a told time. */
export type Availability = { kind: 'open' } | { kind: 'soon' } | { kind: 'at'; when: string };

/** Why the hand-off message opens as it does (business hours have their own line). */
export type HandoffOpener = 'customer_asked' | 'negative_sentiment' | 'vip' | 'not_understood' | 'long_message';

export interface QuickReplyText {
  title: string;
  /** What the tap sends back; the bot reads it as if typed. */
  value: string;
}

export interface BotTexts {
  greeting(firstName: string | null, botName: string, brandName: string): string;
  howCanIHelp: string;
  /** The team is off shift: when a person will answer (soon or at). */
  afterHours(availability: Availability): string;
  /** The opening, as in "a person will answer <phrase>". */
  opening: { today(time: string): string; tomorrow(time: string): string; on(day: string, time: string): string };
  notUnderstood: string;
  rephrase(withButtons: boolean): string;
  topics(list: readonly string[]): string;
  typeForPerson: string;
  askReference: string;
  referenceHint: string;
  referenceNoted(reference: string): string;
  askEmail: string;
  emailHint: string;
  emailNoted: string;
  skipped: string;
  allSet: string;
  attachmentOnly(picture: boolean): string;
  movedToPrivate: string;
  handoffOpener: Record<HandoffOpener, string>;
  personTakesOver(availability: Availability): string;
  nextInLine: string;
  quick: { person: string; skipReference: QuickReplyText; skipEmail: QuickReplyText };
}

const en: BotTexts = {
  greeting: (name, bot, brand) => `Hi${name ? ` ${name}` : ''}, I'm ${bot}, ${brand ? `${brand}'s` : 'the virtual'} assistant.`,
  howCanIHelp: 'How can I help?',
  afterHours: (a) => (a.kind === 'at' ? `Our team is away right now; a person will answer ${a.when}.` : 'Our team is away right now; a person will answer shortly.'),
  opening: { today: (t) => `at ${t} today`, tomorrow: (t) => `at ${t} tomorrow`, on: (d, t) => `on ${d} at ${t}` },
  notUnderstood: "Sorry, I'm not sure I understood.",
  rephrase: (buttons) => (buttons ? 'Could you put it another way, or pick one of these options?' : 'Could you put it another way? You can also write "agent" to talk to a person.'),
  topics: (list) => `I can help with things like: ${list.join(', ')}.`,
  typeForPerson: 'You can write "agent" at any time to talk to a person.',
  askReference: "To get things ready for the team, could you share your booking reference or order number (like ABC123 or #123456)? If you don't have one, just write \"skip\".",
  referenceHint: 'Hmm, that doesn\'t look like a booking reference or an order number. A booking reference has 6 letters and digits (like ABC123); an order number looks like #123456 or ORD-123456. Or write "skip".',
  referenceNoted: (ref) => `Thanks, I've noted ${ref}.`,
  askEmail: 'And an email address where the team can reach you? Write "skip" if you\'d rather not.',
  emailHint: 'That email address doesn\'t look quite right. Could you check it? It should look like name@example.com. Or write "skip".',
  emailNoted: "Thanks, I've noted your email.",
  skipped: 'No problem.',
  allSet: 'The team will have everything they need. Is there anything else I can help with?',
  attachmentOnly: (picture) => `${picture ? 'Thanks for the picture!' : 'Thanks for sending this!'} I can only read text, so could you tell me in a few words what I can help with?`,
  movedToPrivate: "We've sent you a private message so we can look at your booking or order safely.",
  handoffOpener: {
    customer_asked: 'Of course!',
    negative_sentiment: "I'm really sorry about this.",
    vip: 'Thanks for reaching out.',
    not_understood: "I'm sorry I couldn't help with this myself.",
    long_message: 'Thanks for explaining all this.',
  },
  personTakesOver: (a) =>
    a.kind === 'open' ? 'A person from our team will take it from here.' : `A person from our team will take it from here and answer ${a.kind === 'at' ? a.when : 'shortly'}.`,
  nextInLine: "Our team is here now and you're next in line: a person will be with you in a moment.",
  quick: { person: 'Talk to a person', skipReference: { title: "I don't have one", value: 'skip' }, skipEmail: { title: 'Skip', value: 'skip' } },
};

/** "a las 9:00", but "a la 1:00". */
const aLas = (time: string) => (/^0?1:/u.test(time) ? `a la ${time}` : `a las ${time}`);

const es: BotTexts = {
  greeting: (name, bot, brand) => `¡Hola${name ? `, ${name}` : ''}! Soy ${bot}, el asistente ${brand ? `de ${brand}` : 'virtual'}.`,
  howCanIHelp: '¿En qué puedo ayudarte?',
  afterHours: (a) =>
    a.kind === 'at' ? `Ahora mismo nuestro equipo no está disponible; una persona te responderá ${a.when}.` : 'Ahora mismo nuestro equipo no está disponible; una persona te responderá en breve.',
  opening: { today: (t) => `hoy ${aLas(t)}`, tomorrow: (t) => `mañana ${aLas(t)}`, on: (d, t) => `el ${d} ${aLas(t)}` },
  notUnderstood: 'Perdona, no estoy seguro de haberte entendido.',
  rephrase: (buttons) => (buttons ? '¿Puedes decirlo de otra forma o elegir una de estas opciones?' : '¿Puedes decirlo de otra forma? También puedes escribir «agente» para hablar con una persona.'),
  topics: (list) => `Puedo ayudarte con cosas como: ${list.join(', ')}.`,
  typeForPerson: 'Puedes escribir «agente» en cualquier momento para hablar con una persona.',
  askReference: 'Para dejarlo todo listo para el equipo, ¿me das tu código de reserva o número de pedido (como ABC123 o #123456)? Si no lo tienes, escribe «no tengo».',
  referenceHint: 'Mmm, eso no parece un código de reserva ni un número de pedido. Un código de reserva tiene 6 letras y números (como ABC123); un número de pedido es como #123456 u ORD-123456. O escribe «no tengo».',
  referenceNoted: (ref) => `Gracias, he anotado ${ref}.`,
  askEmail: '¿Y un correo electrónico en el que el equipo pueda contactarte? Escribe «no» si prefieres no darlo.',
  emailHint: 'Ese correo no parece del todo correcto. ¿Puedes revisarlo? Debería ser como nombre@ejemplo.com. O escribe «no».',
  emailNoted: 'Gracias, he anotado tu correo.',
  skipped: 'Sin problema.',
  allSet: 'El equipo tendrá todo lo que necesita. ¿Puedo ayudarte en algo más?',
  attachmentOnly: (picture) => `${picture ? '¡Gracias por la imagen!' : '¡Gracias por enviarlo!'} Solo puedo leer texto: ¿me cuentas en pocas palabras en qué puedo ayudarte?`,
  movedToPrivate: 'Te hemos enviado un mensaje privado para revisar tu reserva o pedido con seguridad.',
  handoffOpener: {
    customer_asked: '¡Claro!',
    negative_sentiment: 'Siento mucho lo ocurrido.',
    vip: 'Gracias por escribirnos.',
    not_understood: 'Siento no haber podido ayudarte yo.',
    long_message: 'Gracias por contárnoslo con detalle.',
  },
  personTakesOver: (a) =>
    a.kind === 'open' ? 'Una persona de nuestro equipo seguirá contigo a partir de aquí.' : `Una persona de nuestro equipo seguirá contigo y te responderá ${a.kind === 'at' ? a.when : 'en breve'}.`,
  nextInLine: 'Nuestro equipo ya está disponible y tu turno es el siguiente: una persona te atenderá en un momento.',
  quick: { person: 'Hablar con alguien', skipReference: { title: 'No tengo', value: 'no tengo' }, skipEmail: { title: 'Prefiero no', value: 'prefiero no' } },
};

const fr: BotTexts = {
  greeting: (name, bot, brand) => `Bonjour${name ? ` ${name}` : ''}, je suis ${bot}, l'assistant ${brand ? `de ${brand}` : 'virtuel'}.`,
  howCanIHelp: 'Comment puis-je vous aider ?',
  afterHours: (a) =>
    a.kind === 'at' ? `Notre équipe est absente pour le moment ; une personne vous répondra ${a.when}.` : 'Notre équipe est absente pour le moment ; une personne vous répondra très bientôt.',
  opening: { today: (t) => `aujourd'hui à ${t}`, tomorrow: (t) => `demain à ${t}`, on: (d, t) => `${d} à ${t}` },
  notUnderstood: "Désolé, je ne suis pas sûr d'avoir compris.",
  rephrase: (buttons) => (buttons ? "Pouvez-vous le dire autrement, ou choisir l'une de ces options ?" : 'Pouvez-vous le dire autrement ? Vous pouvez aussi écrire « conseiller » pour parler à une personne.'),
  topics: (list) => `Je peux vous aider par exemple sur : ${list.join(', ')}.`,
  typeForPerson: 'Vous pouvez écrire « conseiller » à tout moment pour parler à une personne.',
  askReference: "Pour préparer le travail de l'équipe, pouvez-vous me donner votre référence de réservation ou votre numéro de commande (par exemple ABC123 ou #123456) ? Si vous n'en avez pas, écrivez « non ».",
  referenceHint: 'Hmm, cela ne ressemble pas à une référence de réservation ni à un numéro de commande. Une référence compte 6 lettres et chiffres (comme ABC123) ; un numéro de commande ressemble à #123456 ou ORD-123456. Ou écrivez « non ».',
  referenceNoted: (ref) => `Merci, j'ai bien noté ${ref}.`,
  askEmail: "Et une adresse e-mail où l'équipe peut vous joindre ? Écrivez « non » si vous préférez ne pas la donner.",
  emailHint: 'Cette adresse e-mail ne semble pas tout à fait correcte. Pouvez-vous la vérifier ? Elle doit ressembler à nom@exemple.com. Ou écrivez « non ».',
  emailNoted: "Merci, j'ai bien noté votre e-mail.",
  skipped: 'Pas de souci.',
  allSet: "L'équipe aura tout ce qu'il lui faut. Puis-je vous aider pour autre chose ?",
  attachmentOnly: (picture) => `${picture ? "Merci pour l'image !" : "Merci pour l'envoi !"} Je ne sais lire que du texte : pouvez-vous me dire en quelques mots comment je peux vous aider ?`,
  movedToPrivate: 'Nous vous avons envoyé un message privé pour examiner votre réservation ou votre commande en toute sécurité.',
  handoffOpener: {
    customer_asked: 'Bien sûr !',
    negative_sentiment: 'Je suis vraiment désolé pour ce désagrément.',
    vip: 'Merci pour votre message.',
    not_understood: "Désolé de ne pas avoir pu vous aider moi-même.",
    long_message: 'Merci pour toutes ces précisions.',
  },
  personTakesOver: (a) =>
    a.kind === 'open' ? 'Une personne de notre équipe prend le relais.' : `Une personne de notre équipe prend le relais et vous répondra ${a.kind === 'at' ? a.when : 'très bientôt'}.`,
  nextInLine: 'Notre équipe est disponible et vous êtes en tête de file : une personne va vous répondre dans un instant.',
  quick: { person: "Parler à quelqu'un", skipReference: { title: "Je n'en ai pas", value: "je n'en ai pas" }, skipEmail: { title: 'Passer', value: 'passer' } },
};

const texts: Record<BotLanguage, BotTexts> = { en, es, fr };

export const textsFor = (language: BotLanguage): BotTexts => texts[language];
