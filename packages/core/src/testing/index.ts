export { closeTestDatabase, testDatabase } from "./database";
export { createTestTenant, type TestTenant } from "./tenant";
