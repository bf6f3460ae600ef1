// Runs the example against a live server: STOREAPI_URL names it (tests/test_typescript_client.py
// starts one and runs `node --test` on the built files).
import assert from "node:assert/strict";
import { test } from "node:test";

import { runSession } from "../examples/session.js";
import { follow, ok, ProblemError, storeApi } from "../src/client.js";

const baseUrl = process.env["STOREAPI_URL"] ?? "http://127.0.0.1:8000";
const unique = `${process.pid}-${Date.now()}`;

test("the example's session runs as its comments say", async () => {
  const report = await runSession(baseUrl, `ts-${unique}@example.com`);
  assert.deepEqual(report.items, [
    { name: "Bell", price: 4.5 },
    { name: "Pump", price: 19.99 },
    { name: "Helmet", price: 59 },
  ]);
  assert.equal(report.pageCount, 2); // two items a page: the `next` link was followed once
  assert.deepEqual(report.nameTaken, {
    status: 409,
    kind: "store-name-taken",
    contentType: "application/problem+json",
  });
  assert.deepEqual(Object.keys(report.invalidItem), ["price"]);
});

test("a problem becomes a ProblemError with the API's details", async () => {
  const api = storeApi(baseUrl); // no token
  const answer = await api.POST("/store", { body: { name: "Nobody's" } });
  assert.equal(answer.response.status, 401);
  assert.throws(
    () => ok(answer),
    (error: unknown) =>
      error instanceof ProblemError &&
      error.kind === "missing-token" &&
      error.problem.instance === "/store" &&
      error.message.startsWith("401 Unauthorized: "),
  );
  const missing = await api.GET("/item/{item_id}", { params: { path: { item_id: 999999999 } } });
  assert.equal(missing.error?.status, 404);
});

test("links are followed as the API gives them", async () => {
  const api = storeApi(baseUrl);
  const home = ok(await api.GET("/"));
  const link = home._links["items"];
  assert.ok(link !== undefined && !Array.isArray(link));
  const items = await follow<{ items: unknown[] }>(api, link.href);
  assert.ok(Array.isArray(items.items));
});
