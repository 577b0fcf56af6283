import type { TestProject } from "vitest/node";
import { findTestS3 } from "./s3-server";

/** Hands the test files the S3 server to test the S3 store against (none with STEPWISE_TEST_S3=skip). */
export default async function setup(project: TestProject) {
  project.provide("stepwiseTestS3", process.env.STEPWISE_TEST_S3 === "skip" ? null : await findTestS3());
}
