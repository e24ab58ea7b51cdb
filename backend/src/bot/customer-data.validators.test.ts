import { findEmail, findReference, hasInvalidEmail, isBookingReference, isEmail, isOrderNumber, isSkip, mentionsOwnCase, withoutCustomerData } from './customer-data.validators';

describe('booking references and order numbers', () => {
  it.each(['ABC123', 'abc123', 'XK4J2L', 'QWERTY', '1A2B3C'])('takes %s as a booking reference', (token) => expect(isBookingReference(token)).toBe(true));
  it.each(['123456', 'ABC12', 'ABC1234', 'AB-123', 'ABC 12'])('refuses %s as a booking reference', (token) => expect(isBookingReference(token)).toBe(false));
  it.each(['#123456', '#1234567890', 'ORD-123456', 'ord-654321'])('takes %s as an order number', (token) => expect(isOrderNumber(token)).toBe(true));
  it.each(['#12345', '123456', 'ORD123456', 'ORD-12AB56', '#12345678901'])('refuses %s as an order number', (token) => expect(isOrderNumber(token)).toBe(false));

  it('finds one in a sentence, upper-cased, punctuation around it left off', () => {
    expect(findReference('My booking is abc123.', false)).toBe('ABC123');
    expect(findReference('Order #123456, please!', false)).toBe('#123456');
    expect(findReference('it was (ord-123456)', false)).toBe('ORD-123456');
  });

  it('takes a reference of letters only when it was asked for, but never a common word', () => {
    expect(findReference('QWERTY', false)).toBeNull();
    expect(findReference('qwerty', true)).toBe('QWERTY');
    expect(findReference('my flight', false)).toBeNull();
    expect(findReference('thanks', true)).toBeNull();
    expect(findReference('cancel', true)).toBeNull();
  });

  it('strips references and emails from what is left to understand', () => {
    expect(withoutCustomerData('ABC123, lost bag? ana@example.com.')).toBe('lost bag?');
  });
});

describe('email addresses', () => {
  it.each(['ana@example.com', 'ana.garcia+care@mail.example.co.uk', 'J_O@sub-domain.fr'])('takes %s', (email) => expect(isEmail(email)).toBe(true));
  it.each(['ana@gmail', 'ana@@example.com', '@example.com', 'ana@.com', 'ana.@example.com', '.ana@example.com', 'an..a@example.com', 'ana@example.c', 'ana example@x.com', `${'a'.repeat(250)}@x.com`])(
    'refuses %s',
    (email) => expect(isEmail(email)).toBe(false),
  );

  it('finds a valid one in a sentence, lower-cased, and tells a botched one from a handle', () => {
    expect(findEmail('write to Ana@Example.com, thanks')).toBe('ana@example.com');
    expect(findEmail('@skyair hello')).toBeNull();
    expect(hasInvalidEmail('it is ana@gmail')).toBe(true);
    expect(hasInvalidEmail('@skyair hello')).toBe(false);
  });
});

describe('skipping', () => {
  it.each(['skip', 'Skip!', 'no', 'No.', 'non', 'no tengo', 'No tengo', "Je n'en ai pas", 'je n’en ai pas', "I don't have one", 'passer', 'prefiero no'])('"%s" skips', (text) => expect(isSkip(text)).toBe(true));
  it.each(['no idea what you mean', 'ABC123', 'nothing works', 'I have it somewhere'])('"%s" does not', (text) => expect(isSkip(text)).toBe(false));
});

describe('a customer speaking of their own case', () => {
  it.each(['Where is my order?', 'my last booking was cancelled', '¿Dónde está mi pedido?', 'Ma commande n’est pas arrivée', 'I booked a flight', 'mon vol est annulé'])('"%s" does', (text) =>
    expect(mentionsOwnCase(text)).toBe(true),
  );
  it.each(['How do refunds work?', 'What is the baggage allowance?', '¿Cuál es el horario?', 'Quels sont vos horaires ?'])('"%s" does not', (text) => expect(mentionsOwnCase(text)).toBe(false));
});
