import type { Server } from 'node:http';
import request from 'supertest';
import { loginResponseSchema } from '@parley/common';
import type { UserDoc } from '../users/user.model';
import { TEST_PASSWORD, makeUser } from './factories';

/** A new user signed in through the API: their bearer headers, token and document. */
export async function signedInAs(server: Server, fields: Parameters<typeof makeUser>[0] = {}): Promise<{ headers: Record<string, string>; token: string; user: UserDoc }> {
  const user = await makeUser(fields);
  const response = await request(server).post('/api/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(200);
  const { token } = loginResponseSchema.parse(response.body);
  return { headers: { authorization: `Bearer ${token}` }, token, user };
}
