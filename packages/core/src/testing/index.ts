export { closeTestDatabase, scratchDatabaseUrl, testDatabase } from "./database";
export { createTestTenant, type TestTenant } from "./tenant";
