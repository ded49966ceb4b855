/** Which database the tests run on: SQLite unless TEST_DATABASE_URL names a PostgreSQL server. */
export function databaseTarget(): { provider: "sqlite" } | { provider: "postgresql"; url: string } {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return { provider: "sqlite" };
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error(`TEST_DATABASE_URL must be a postgres:// or postgresql:// URL, not ${url}`);
  }
  return { provider: "postgresql", url };
}

/** The URL of database `name` on the server of `serverUrl`. */
export function postgresUrlFor(serverUrl: string, name: string) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
