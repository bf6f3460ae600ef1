/**
 * A front-end's first session with the typed client: register, log in, create a store and
 * its items, read them back page by page through the `next` links, and handle the problems
 * the API answers with (a name already taken, an invalid price).
 *
 *   npm run example -- http://127.0.0.1:8000
 */
import { pathToFileURL } from "node:url";

import { ok, pages, ProblemError, type Session, storeApi } from "../src/client.js";

export interface SessionReport {
  storeId: number;
  /** The store's items, cheapest first, as the pages listed them. */
  items: { name: string; price: number }[];
  pageCount: number;
  /** What the API said when the store's name was taken (in another case). */
  nameTaken: { status: number; kind: string; contentType: string | null };
  /** The fields an invalid item was refused for, with their messages. */
  invalidItem: Record<string, string>;
}

export async function runSession(baseUrl: string, email: string): Promise<SessionReport> {
  const session: Session = {};
  const api = storeApi(baseUrl, session);
  const account = { email, password: "a long secret for the example" };

  ok(await api.POST("/register", { body: account }));
  const tokens = ok(await api.POST("/login", { body: account }));
  session.accessToken = tokens.access_token; // sent with every request from now on

  const storeName = `Front-end Shop ${email}`;
  const store = ok(await api.POST("/store", { body: { name: storeName } }));
  // Prices as strings stay exact: "4.50" is stored and answered as 4.50.
  for (const [name, price] of [["Bell", "4.50"], ["Helmet", "59.00"], ["Pump", "19.99"]]) {
    ok(await api.POST("/item", { body: { name: name!, price: price!, store_id: store.id } }));
  }

  const items: SessionReport["items"] = [];
  let pageCount = 0;
  const query = { store_id: store.id, sort: "price", limit: 2 } as const;
  const first = ok(await api.GET("/item", { params: { query } }));
  for await (const page of pages(api, first)) {
    pageCount += 1;
    items.push(...page.items.map((item) => ({ name: item.name, price: item.price })));
  }

  let nameTaken: SessionReport["nameTaken"] | undefined;
  try {
    ok(await api.POST("/store", { body: { name: storeName.toUpperCase() } }));
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    nameTaken = {
      status: error.problem.status,
      kind: error.kind, // "store-name-taken": branch on the type, never on the detail
      contentType: error.response.headers.get("Content-Type"),
    };
  }
  if (nameTaken === undefined) throw new Error("a taken store name was accepted");

  let invalidItem: Record<string, string> = {};
  const invalid = await api.POST("/item", {
    body: { name: "Bell", price: "4.505", store_id: store.id },
  });
  if (invalid.error !== undefined) {
    invalidItem = Object.fromEntries((invalid.error.errors ?? []).map((e) => [e.field, e.message]));
  }

  ok(await api.POST("/logout"));
  return { storeId: store.id, items, pageCount, nameTaken, invalidItem };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const baseUrl = process.argv[2] ?? "http://127.0.0.1:8000";
  const report = await runSession(baseUrl, `example-${Date.now()}@example.com`);
  console.log(JSON.stringify(report, null, 2));
}
