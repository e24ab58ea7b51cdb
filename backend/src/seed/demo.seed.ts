import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger';
import { seedBotAnswers } from '../bot/answers.seed';
import { CannedResponse } from '../canned/canned.model';
import { BusinessHours } from '../sla/business-hours.model';
import { SlaPolicy } from '../sla/sla-policy.model';
import { nextPolicyOrder } from '../sla/sla-config.service';
import { Channel } from '../channels/channel.model';
import { encryptCredentials } from '../channels/credentials';
import { hashPassword } from '../users/auth.service';
import { Team } from '../users/team.model';
import { User } from '../users/user.model';

export const demoUsers = [
  { email: 'admin@demo.parley', name: 'Ada Admin', role: 'admin' },
  { email: 'supervisor@demo.parley', name: 'Sam Supervisor', role: 'supervisor' },
  { email: 'agent@demo.parley', name: 'Alex Agent', role: 'agent' },
] as const;

/** Simulator channels imitating the brand's accounts; the `simulator` role fills them with traffic. */
export const demoChannels = [
  { externalAccountId: 'demo-x', name: 'Acme on X (simulated)', imitates: 'x' },
  // The bot answers here when the office is closed (the office hours below), so a newcomer sees it work.
  { externalAccountId: 'demo-facebook', name: 'Acme on Facebook (simulated)', imitates: 'facebook', bot: { mode: 'after_hours', name: 'Acme Assistant', brandName: 'Acme' } },
  { externalAccountId: 'demo-instagram', name: 'Acme on Instagram (simulated)', imitates: 'instagram' },
] as const;

/** A few saved replies for the composer's `/` list. */
export const demoCannedResponses = [
  { shortcut: 'hello', title: 'Greeting', text: 'Hi {{first_name}}, thanks for reaching out! I am {{agent_name}} and I will help you with this.' },
  { shortcut: 'order', title: 'Order status: ask for the number', text: 'Hi {{first_name}}, sorry for the wait. Could you send us your order number in a private message so we can check it?' },
  // Reply & move to private starts from dm(-<lang>) in public and dm-greeting(-<lang>) in private, in the customer's language.
  { shortcut: 'dm', title: 'Move to private', text: 'Hi {{first_name}}, let us continue in a private message so your details stay private. — {{agent_name}}' },
  { shortcut: 'dm-es', title: 'Move to private (Spanish)', text: 'Hola {{first_name}}, sigamos por mensaje privado para que tus datos queden a salvo. — {{agent_name}}' },
  { shortcut: 'dm-fr', title: 'Move to private (French)', text: 'Bonjour {{first_name}}, continuons en message privé pour que vos données restent protégées. — {{agent_name}}' },
  { shortcut: 'dm-greeting', title: 'First private message', text: 'Hi {{first_name}}, {{agent_name}} from Acme here. Could you send me your order or booking number so I can look into it?' },
  { shortcut: 'dm-greeting-es', title: 'First private message (Spanish)', text: 'Hola {{first_name}}, soy {{agent_name}} de Acme. ¿Me envías tu número de pedido o de reserva para revisarlo?' },
  {
    shortcut: 'dm-greeting-fr',
    title: 'First private message (French)',
    text: "Bonjour {{first_name}}, ici {{agent_name}} d'Acme. Pouvez-vous m'envoyer votre numéro de commande ou de réservation pour que je regarde ?",
  },
  { shortcut: 'thanks', title: 'Thanks and goodbye', text: 'Thanks {{first_name}}, glad we could help! Have a great day. — {{agent_name}}' },
] as const;

const minutes = (first: number, next: number, resolution: number) => ({ firstResponseMinutes: first, nextResponseMinutes: next, resolutionMinutes: resolution });

/**
 * The demo's SLA: a social care desk answers around the clock, urgent posts within 15
 * minutes. The office schedule is there for admins to try (and for the after-hours bot).
 */
export const demoBusinessHours = {
  name: 'Office hours (London)',
  timezone: 'Europe/London',
  intervals: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' })),
  holidays: [],
};
export const demoSlaPolicy = {
  name: 'Social care',
  active: true,
  businessHoursId: null,
  channelIds: [],
  targets: { urgent: minutes(15, 30, 240), high: minutes(30, 60, 480), normal: minutes(60, 120, 1_440), low: minutes(240, 480, 4_320) },
};

/**
 * The demo brand of the embedded default: three users, one team and three simulator
 * channels (X, Facebook and Instagram lookalikes). Runs only on an empty database, so
 * a second start keeps what the first made.
 */
export async function seedDemo(password: string, credentialsKey: string | undefined, log: Logger): Promise<boolean> {
  if ((await User.estimatedDocumentCount()) > 0) return false;
  const team = await Team.findOneAndUpdate({ name: 'Customer Care' }, { $setOnInsert: { name: 'Customer Care' } }, { upsert: true, returnDocument: 'after' });
  const passwordHash = await hashPassword(password);
  for (const user of demoUsers) {
    await User.updateOne(
      { email: user.email },
      { $setOnInsert: { ...user, passwordHash, teamIds: [team._id], capacity: 10, active: true } },
      { upsert: true },
    );
  }
  for (const channel of demoChannels) {
    await Channel.updateOne(
      { kind: 'simulator', externalAccountId: channel.externalAccountId },
      {
        $setOnInsert: {
          kind: 'simulator',
          name: channel.name,
          externalAccountId: channel.externalAccountId,
          status: 'active',
          settings: { imitates: channel.imitates, ...('bot' in channel ? { bot: channel.bot } : {}) },
          teamId: team._id,
          // The signing secret of the simulator's webhook deliveries.
          ...(credentialsKey ? { credentialsEncrypted: encryptCredentials({ secret: randomBytes(24).toString('base64url') }, credentialsKey) } : {}),
        },
      },
      { upsert: true },
    );
  }
  for (const canned of demoCannedResponses) {
    await CannedResponse.updateOne({ shortcut: canned.shortcut }, { $setOnInsert: canned }, { upsert: true });
  }
  // Created, not upserted: FerretDB v1 leaves nulls and empty arrays out of a $setOnInsert.
  if (!(await BusinessHours.exists({ name: demoBusinessHours.name }))) await BusinessHours.create(demoBusinessHours);
  if (!(await SlaPolicy.exists({ name: demoSlaPolicy.name }))) await SlaPolicy.create({ ...demoSlaPolicy, order: await nextPolicyOrder() });
  await seedBotAnswers(log);
  log.info({ users: demoUsers.map((user) => user.email), channels: demoChannels.map((channel) => channel.name) }, 'demo brand seeded');
  return true;
}
