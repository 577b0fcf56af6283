export { type Database, type DatabaseHandle, type DatabaseOptions, migrationsFolder, openDatabase } from "./client";
export * as tables from "./schema";
