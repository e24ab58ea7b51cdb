// Registers every mongoose model, so indexes are built at start-up (db/mongo.ts syncIndexes).
import './users/user.model';
import './users/team.model';
import './users/session.model';
import './channels/channel.model';
import './ingest/raw-event.model';
import './contacts/contact.model';
import './tickets/ticket.model';
import './tickets/message.model';
import './connectors/simulator/simulator.connector';
import './tickets/audit-event.model';
import './canned/canned.model';
import './views/saved-view.model';
import './workflows/private-move.model';
import './sla/sla-policy.model';
import './sla/business-hours.model';
