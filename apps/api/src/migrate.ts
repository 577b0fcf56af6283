import { ConfigError, loadConfig } from "./env";
import { openMigratedDatabase, rootMessage } from "./open-database";

// `pnpm migrate`: applies the migrations to DATABASE_URL (or the embedded database) and exits, for a deployment
// whose replicas start with STEPWISE_MIGRATE=skip. Run it against PostgreSQL directly or through PgBouncer.
try {
  const config = loadConfig(process.env);
  const database = await openMigratedDatabase({ ...config, migrate: "auto" });
  await database.close();
  process.stdout.write(`Stepwise: the ${database.kind} database is migrated\n`);
} catch (error) {
  process.stderr.write(
    error instanceof ConfigError ? `${error.message}\n` : `Stepwise could not migrate: ${rootMessage(error)}\n`,
  );
  process.exit(1);
}
