import type { Lang } from './personas';

/**
 * What the simulated customers write, per language and tone. Templates take {brand}
 * (how the brand is named on the platform), {order} (an order number like #A1234),
 * {product} (a product, with its article where the language needs one) and {days}
 * (3 to 10, so every language's plural agrees). Every mention names {brand}.
 */

export const tones = ['angry', 'happy', 'order_status', 'product_question', 'praise'] as const;
export type Tone = (typeof tones)[number];

/** Replies inside a thread only need the broad mood of the conversation. */
export type Mood = 'negative' | 'question' | 'positive';
export const moodOf: Record<Tone, Mood> = {
  angry: 'negative',
  order_status: 'negative',
  product_question: 'question',
  happy: 'positive',
  praise: 'positive',
};

export interface LangCorpus {
  products: string[];
  /** A public post naming the brand: starts a conversation. */
  mentions: Record<Tone, string[]>;
  /** A first private message. */
  dms: Record<Tone, string[]>;
  /** The author of a thread adds to it. */
  ownReplies: Record<Mood, string[]>;
  /** Someone else joins a thread. */
  pileOns: Record<Mood, string[]>;
  /** A customer writes again in their private conversation. */
  dmContinuations: string[];
  /** The customer answers an agent's reply. */
  answers: { thanks: string[]; waiting: string[]; detail: string[] };
}

export const emojiByTone: Record<Tone, string[]> = {
  angry: ['😡', '😤', '🙄'],
  happy: ['😊', '🎉', '✨'],
  order_status: ['📦', '⏳'],
  product_question: ['🤔', '🙏'],
  praise: ['👏', '💯', '🙌'],
};

const en: LangCorpus = {
  products: ['Nimbus headset', 'AeroBlend blender', 'Pulse smartwatch', 'Drift rain jacket', 'Orbit speaker'],
  mentions: {
    angry: [
      "{brand} I've been charged twice for the same order and nobody answers my emails. This is unacceptable 😡",
      '{brand} your app logged me out three times today and now my cart is empty. Fix this please.',
      'Third time contacting {brand} about my broken {product}. Still no reply. Done with this company.',
      "{brand} the courier marked my parcel as delivered but there's nothing at my door. Who do I talk to?",
    ],
    happy: [
      '{brand} my {product} arrived a day early and the packaging was perfect. Thank you!',
      "Just unboxed my new {product} from {brand} and I'm so happy with it ✨",
      'Shoutout to {brand} for swapping my size without any fuss 🙌',
    ],
    order_status: [
      "{brand} where is my order {order}? Tracking hasn't updated in {days} days.",
      "Hi {brand}, order {order} still says 'processing' after {days} days. Any idea when it ships?",
      '{brand} can you check on {order}? It was supposed to arrive last week.',
    ],
    product_question: [
      '{brand} does the {product} work with Android phones or only with iPhone?',
      'Hey {brand}, is the {product} waterproof or just splash resistant?',
      '{brand} when will the {product} be back in stock?',
      "Quick question {brand}: can I use the {product} while it's charging?",
    ],
    praise: [
      'Big thanks to the {brand} support team, they sorted out my refund in 10 minutes 👏',
      "{brand} customer service is honestly the best I've dealt with this year.",
      "Been using my {product} every day for a year and it's still like new. Well done {brand}.",
    ],
  },
  dms: {
    angry: [
      'Hi, I was charged twice for order {order}. I need one of the payments refunded, please.',
      'Hello. My {product} stopped working after {days} days. I want a replacement, not another form to fill in.',
    ],
    happy: ['Just wanted to say thanks, the replacement {product} arrived today 😊'],
    order_status: [
      "Hi! Could you tell me where order {order} is? The tracking link doesn't work.",
      'Hello, my order {order} was due {days} days ago. Can you check what happened?',
    ],
    product_question: [
      'Hi, before I buy: is the {product} covered by the 2-year warranty?',
      'Hello, can I still change the delivery address on order {order}?',
    ],
    praise: ['Hi! Your colleague fixed my problem yesterday, please pass on my thanks 🙏'],
  },
  ownReplies: {
    negative: [
      'Still nothing. {days} days now.',
      'Order number is {order} if anyone from {brand} is actually reading this.',
      "Update: the tracking page now says 'label created'. That's it.",
    ],
    question: ["To be clear, I'm asking about the {product}.", 'Also, does it come with a charger in the box?'],
    positive: ["Honestly the best purchase I've made this year.", 'Also the packaging was all recyclable 💚'],
  },
  pileOns: {
    negative: ['Same here, {days} days and not a word from {brand} 😤', 'Exact same problem with my order {order}.', 'This is why I stopped ordering from {brand}.'],
    question: ["Following, I'd like to know too.", '+1, I was about to ask the same thing.'],
    positive: ['Totally agree, the {product} is great!', 'Same experience here, super quick delivery 👌'],
  },
  dmContinuations: [
    'Any news on this?',
    'Hello? Still waiting for an answer about {order}.',
    "Sorry, one more thing: I'm not home on Friday, can the courier leave it with a neighbour?",
    'I checked again and the tracking still shows nothing.',
  ],
  answers: {
    thanks: ['Thanks, that helps!', 'Perfect, thank you 🙏', 'Great, thanks for the quick answer.'],
    waiting: ['Ok… still waiting though. When will I hear back?', "That doesn't really answer my question.", "I'll wait, but please don't forget me this time."],
    detail: ['Here it is: {order}.', 'The order number is {order}, placed {days} days ago.'],
  },
};

const es: LangCorpus = {
  products: ['el casco Nimbus', 'la licuadora AeroBlend', 'el reloj Pulse', 'la chaqueta Drift', 'el altavoz Orbit'],
  mentions: {
    angry: [
      '{brand} me cobraron dos veces el mismo pedido y nadie responde a mis correos. Inaceptable 😡',
      '{brand} llevo {days} días esperando una respuesta sobre mi devolución. ¿Hay alguien ahí?',
      'Tercera vez que escribo a {brand} por un producto roto y nada. Qué decepción.',
      '{brand} el repartidor marcó mi paquete como entregado pero aquí no llegó nada. ¿Con quién hablo?',
    ],
    happy: [
      '{brand} mi pedido llegó un día antes y perfectamente embalado. ¡Gracias!',
      'Acabo de estrenar {product} de {brand} y ¡me encanta! ✨',
      'Gracias {brand} por cambiarme la talla sin ningún problema 🙌',
    ],
    order_status: [
      '{brand} ¿dónde está mi pedido {order}? El seguimiento no se actualiza desde hace {days} días.',
      'Hola {brand}, mi pedido {order} sigue «en preparación» después de {days} días. ¿Cuándo sale?',
      '{brand} ¿podéis revisar el pedido {order}? Tenía que llegar la semana pasada.',
    ],
    product_question: [
      '{brand} ¿funciona {product} con Android o solo con iPhone?',
      'Hola {brand}, ¿es {product} resistente al agua o solo a las salpicaduras?',
      '{brand} ¿cuándo vuelve a estar disponible {product}?',
    ],
    praise: [
      'Mil gracias al equipo de atención de {brand}, me resolvieron el reembolso en 10 minutos 👏',
      'La atención al cliente de {brand} es de lo mejor que he visto este año.',
      'Llevo un año usando {product} a diario y sigue como el primer día. {brand} nunca falla.',
    ],
  },
  dms: {
    angry: ['Hola, me cobraron dos veces el pedido {order}. Necesito que me devolváis uno de los pagos.', 'Buenas. Compré {product} y dejó de funcionar a los {days} días. Quiero un cambio, no otro formulario.'],
    happy: ['Solo quería daros las gracias, hoy me llegó el cambio 😊'],
    order_status: ['¡Hola! ¿Me decís dónde está el pedido {order}? El enlace de seguimiento no funciona.', 'Hola, el pedido {order} tenía que llegar hace {days} días. ¿Podéis mirar qué pasó?'],
    product_question: ['Hola, antes de comprar: ¿tiene {product} dos años de garantía?', 'Hola, ¿todavía puedo cambiar la dirección de entrega del pedido {order}?'],
    praise: ['¡Hola! Vuestra compañera me resolvió el problema ayer, dadle las gracias de mi parte 🙏'],
  },
  ownReplies: {
    negative: ['Nada todavía. Ya van {days} días.', 'El número de pedido es {order}, por si alguien de {brand} lee esto.', 'Actualización: el seguimiento ahora dice «etiqueta creada». Nada más.'],
    question: ['Pregunto por {product}, para que quede claro.', '¿Y viene con cargador en la caja?'],
    positive: ['Sinceramente, la mejor compra del año.', 'Además el embalaje era todo reciclable 💚'],
  },
  pileOns: {
    negative: ['Me pasa lo mismo, {days} días y {brand} sin contestar 😤', 'Exactamente el mismo problema con mi pedido {order}.', 'Por esto dejé de comprar en {brand}.'],
    question: ['Sigo el hilo, yo también quiero saberlo.', '+1, iba a preguntar lo mismo.'],
    positive: ['Totalmente de acuerdo, ¡es genial!', 'Mi experiencia igual, entrega rapidísima 👌'],
  },
  dmContinuations: ['¿Alguna novedad?', '¿Hola? Sigo esperando respuesta sobre el pedido {order}.', 'Perdón, una cosa más: el viernes no estoy en casa, ¿puede dejarlo el repartidor en la portería?'],
  answers: {
    thanks: ['¡Gracias, me sirve!', 'Perfecto, muchas gracias 🙏', 'Genial, gracias por la respuesta tan rápida.'],
    waiting: ['Vale… pero sigo esperando. ¿Cuándo tendré noticias?', 'Eso no responde a mi pregunta.', 'Espero, pero esta vez no os olvidéis de mí, por favor.'],
    detail: ['Aquí lo tenéis: {order}.', 'El número de pedido es {order}, lo hice hace {days} días.'],
  },
};

const fr: LangCorpus = {
  products: ['le casque Nimbus', 'le mixeur AeroBlend', 'la montre Pulse', 'la veste Drift', "l'enceinte Orbit"],
  mentions: {
    angry: [
      "{brand} j'ai été débité deux fois pour la même commande et personne ne répond à mes mails. Inadmissible 😡",
      "{brand} ça fait {days} jours que j'attends une réponse pour mon remboursement. Il y a quelqu'un ?",
      'Troisième message à {brand} pour un produit cassé, toujours rien. Très déçu.',
      "{brand} le livreur a marqué mon colis comme livré mais je n'ai rien reçu. Je m'adresse à qui ?",
    ],
    happy: [
      "{brand} ma commande est arrivée avec un jour d'avance, emballage nickel. Merci !",
      "Je viens de déballer {product} et franchement je l'adore ✨",
      "Merci {brand} pour l'échange de taille, sans aucune complication 🙌",
    ],
    order_status: [
      "{brand} où en est ma commande {order} ? Le suivi n'a pas bougé depuis {days} jours.",
      'Bonjour {brand}, ma commande {order} est toujours « en préparation » après {days} jours. Elle part quand ?',
      '{brand} vous pouvez vérifier la commande {order} ? Elle devait arriver la semaine dernière.',
    ],
    product_question: [
      "{brand} est-ce que {product} fonctionne avec Android ou seulement avec l'iPhone ?",
      "Bonjour {brand}, est-ce que {product} résiste à l'eau ou seulement aux éclaboussures ?",
      '{brand} quand est-ce que {product} sera de nouveau en stock ?',
    ],
    praise: [
      'Un grand merci au service client de {brand}, remboursement réglé en 10 minutes 👏',
      'Le service client de {brand} est vraiment top, rien à redire.',
      "J'utilise {product} tous les jours depuis un an, aucun souci. Merci {brand} !",
    ],
  },
  dms: {
    angry: ["Bonjour, j'ai été débité deux fois pour la commande {order}. Merci de rembourser l'un des deux paiements.", "Bonjour. J'ai acheté {product} et ça ne marche plus au bout de {days} jours. Je veux un échange, pas un formulaire de plus."],
    happy: ["Je voulais juste vous remercier, le produit de remplacement est arrivé aujourd'hui 😊"],
    order_status: ['Bonjour ! Vous pouvez me dire où en est la commande {order} ? Le lien de suivi ne marche pas.', 'Bonjour, la commande {order} devait arriver il y a {days} jours. Vous pouvez regarder ?'],
    product_question: ['Bonjour, avant d\'acheter : est-ce que la garantie de deux ans couvre {product} ?', "Bonjour, est-ce que je peux encore changer l'adresse de livraison de la commande {order} ?"],
    praise: ['Bonjour ! Votre collègue a réglé mon problème hier, merci de lui transmettre 🙏'],
  },
  ownReplies: {
    negative: ['Toujours rien. Ça fait {days} jours.', "Le numéro de commande c'est {order}, si quelqu'un chez {brand} lit ça.", 'Mise à jour : le suivi indique maintenant « étiquette créée ». Point.'],
    question: ['Ma question porte sur {product}.', 'Et il y a un chargeur dans la boîte ?'],
    positive: ["Franchement, le meilleur achat de l'année.", "En plus l'emballage est entièrement recyclable 💚"],
  },
  pileOns: {
    negative: ['Pareil pour moi, {days} jours et aucune réponse de {brand} 😤', 'Exactement le même problème avec ma commande {order}.', "C'est pour ça que je ne commande plus chez {brand}."],
    question: ['Je suis le fil, ça m\'intéresse aussi.', "+1, j'allais poser la même question."],
    positive: ["Tout à fait d'accord, c'est top !", 'Même expérience, livraison super rapide 👌'],
  },
  dmContinuations: ['Des nouvelles ?', 'Allô ? Toujours pas de réponse pour la commande {order}.', "Pardon, encore une chose : je ne suis pas là vendredi, le livreur peut le laisser chez le voisin ?"],
  answers: {
    thanks: ['Merci, ça m\'aide !', 'Parfait, merci beaucoup 🙏', 'Super, merci pour la réponse rapide.'],
    waiting: ["D'accord… mais j'attends toujours. J'aurai des nouvelles quand ?", 'Ça ne répond pas vraiment à ma question.', "J'attends, mais ne m'oubliez pas cette fois."],
    detail: ['Le voici : {order}.', "Le numéro de commande est {order}, passée il y a {days} jours."],
  },
};

const ar: LangCorpus = {
  products: ['سماعة Nimbus', 'خلاط AeroBlend', 'ساعة Pulse', 'سترة Drift', 'مكبر الصوت Orbit'],
  mentions: {
    angry: ['{brand} تم خصم المبلغ مرتين ولم يرد أحد على رسائلي. هذا غير مقبول 😡', '{brand} المندوب سجّل الطرد كأنه وصل لكنني لم أستلم شيئًا. مع من أتكلم؟'],
    happy: ['{brand} وصل طلبي قبل موعده بيوم والتغليف ممتاز. شكرًا لكم!'],
    order_status: ['{brand} أين طلبي {order}؟ لم يتم تحديث التتبع منذ {days} أيام.', 'مرحبًا {brand}، طلبي {order} ما زال قيد التجهيز بعد {days} أيام. متى سيتم شحنه؟'],
    product_question: ['{brand} هل يمكن استخدام {product} مع هواتف أندرويد؟', '{brand} هل من موعد لعودة {product} إلى المخزون؟'],
    praise: ['شكرًا لفريق خدمة العملاء في {brand}، تم حل مشكلتي في دقائق 👏'],
  },
  dms: {
    angry: ['مرحبًا، تم خصم ثمن الطلب {order} مرتين. أرجو استرداد إحدى الدفعتين.'],
    happy: ['أردت فقط أن أشكركم، وصل البديل اليوم 😊'],
    order_status: ['مرحبًا! هل يمكنكم إخباري أين الطلب {order}؟ رابط التتبع لا يعمل.'],
    product_question: ['مرحبًا، هل ما زال بإمكاني تغيير عنوان التوصيل للطلب {order}؟'],
    praise: ['مرحبًا! زميلتكم حلّت مشكلتي أمس، أرجو أن تبلغوها شكري 🙏'],
  },
  ownReplies: {
    negative: ['لا شيء حتى الآن. مرّت {days} أيام.', 'رقم الطلب {order} إن كان أحد من {brand} يقرأ.'],
    question: ['هل يأتي مع شاحن في العلبة؟'],
    positive: ['بصراحة أفضل شيء اشتريته هذا العام.'],
  },
  pileOns: {
    negative: ['نفس المشكلة عندي، {days} أيام بدون أي رد 😤'],
    question: ['أتابع، أريد أن أعرف أيضًا.'],
    positive: ['أوافقك تمامًا، التوصيل كان سريعًا جدًا 👌'],
  },
  dmContinuations: ['هل من جديد؟', 'مرحبًا؟ ما زلت أنتظر ردًا بخصوص الطلب {order}.'],
  answers: {
    thanks: ['شكرًا، هذا يساعدني!', 'ممتاز، شكرًا جزيلًا 🙏'],
    waiting: ['حسنًا… لكنني ما زلت أنتظر. متى سأسمع منكم؟'],
    detail: ['هذا هو رقم الطلب: {order}.'],
  },
};

const he: LangCorpus = {
  products: ['אוזניות Nimbus', 'בלנדר AeroBlend', 'שעון Pulse', 'מעיל Drift', 'רמקול Orbit'],
  mentions: {
    angry: ['{brand} חייבו אותי פעמיים על אותה הזמנה ואף אחד לא עונה למיילים. זה לא מקובל 😡', '{brand} השליח סימן שהחבילה נמסרה אבל לא קיבלתי כלום. עם מי מדברים?'],
    happy: ['{brand} ההזמנה הגיעה יום לפני הזמן והאריזה מושלמת. תודה!'],
    order_status: ['{brand} איפה ההזמנה שלי {order}? המעקב לא התעדכן כבר {days} ימים.'],
    product_question: ['{brand} אפשר להשתמש ב{product} עם אנדרואיד?'],
    praise: ['תודה רבה לצוות שירות הלקוחות של {brand}, הבעיה נפתרה תוך דקות 👏'],
  },
  dms: {
    angry: ['שלום, חייבו אותי פעמיים על הזמנה {order}. אני צריכה החזר על אחד התשלומים.'],
    happy: ['רק רציתי להגיד תודה, המוצר החלופי הגיע היום 😊'],
    order_status: ['היי! אפשר לבדוק איפה הזמנה {order}? הקישור למעקב לא עובד.'],
    product_question: ['שלום, אפשר עדיין לשנות את כתובת המשלוח של הזמנה {order}?'],
    praise: ['היי! הנציגה שלכם פתרה לי את הבעיה אתמול, תעבירו לה תודה 🙏'],
  },
  ownReplies: {
    negative: ['עדיין כלום. עברו כבר {days} ימים.', 'מספר ההזמנה הוא {order}, אם מישהו מ-{brand} קורא.'],
    question: ['ויש מטען בקופסה?'],
    positive: ['בכנות, הקנייה הכי טובה שלי השנה.'],
  },
  pileOns: {
    negative: ['גם אצלי, {days} ימים בלי תשובה 😤'],
    question: ['עוקבת, גם אני רוצה לדעת.'],
    positive: ['מסכימה לגמרי, משלוח מהיר מאוד 👌'],
  },
  dmContinuations: ['יש חדש?', 'שלום? אני עדיין מחכה לתשובה לגבי הזמנה {order}.'],
  answers: {
    thanks: ['תודה, זה עוזר!', 'מושלם, תודה רבה 🙏'],
    waiting: ['בסדר… אבל אני עדיין מחכה. מתי אשמע מכם?'],
    detail: ['הנה: {order}.'],
  },
};

export const corpus: Record<Lang, LangCorpus> = { en, es, fr, ar, he };
