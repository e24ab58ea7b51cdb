/**
 * The session token of this tab, kept in memory only. The server also sets an
 * httpOnly cookie; the socket.io client sends this token as `auth: {token}`.
 */
let token: string | undefined;

export const session = {
  get token() {
    return token;
  },
  set(value: string | undefined) {
    token = value;
  },
};
