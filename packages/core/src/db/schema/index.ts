export * from "./api-key-grants";
export * from "./api-keys";
export * from "./experiments";
export * from "./runs";
export * from "./tenants";
