export * from "./api-key-grants";
export * from "./api-keys";
export * from "./experiments";
export * from "./metric-buckets";
export * from "./metric-points";
export * from "./metric-series";
export * from "./runs";
export * from "./tenants";
