/**
 * A typed client for storeapi: openapi-fetch over the types that openapi-typescript generated
 * from the API's OpenAPI document (src/schema.d.ts; `npm run generate` remakes them).
 *
 *   const session: Session = {};
 *   const api = storeApi("http://127.0.0.1:8000", session);
 *   session.accessToken = ok(await api.POST("/login", { body: { email, password } })).access_token;
 *   const item = ok(await api.GET("/item/{item_id}", { params: { path: { item_id: 1 } } }));
 *
 * Paths, parameters, bodies and answers are all checked by the compiler.
 */
import createClient, { type Client } from "openapi-fetch";

import type { components, paths } from "./schema.js";

export type { components, paths };
export type Schemas = components["schemas"];
export type Problem = Schemas["ProblemDoc"];
/** The media types the client reads: answers are JSON, problems problem+json. */
export type Json = "application/json" | "application/problem+json";
/** The client: `api.GET("/item")`, `api.POST("/store", { body })`, ... */
export type StoreApi = Client<paths, Json>;

/** Every problem type's URL starts with this; what follows names the problem. */
export const PROBLEM_TYPES = "https://storeapi.dev/problems/";

/** What the client sends with each request; set `accessToken` after logging in. */
export interface Session {
  accessToken?: string;
}

/** A client of the API at `baseUrl` that sends `session.accessToken` when there is one. */
export function storeApi(baseUrl: string, session: Session = {}): StoreApi {
  const api = createClient<paths, Json>({
    baseUrl,
    headers: { Accept: "application/json" },
  });
  api.use({
    onRequest({ request }) {
      if (session.accessToken !== undefined && !request.headers.has("Authorization")) {
        request.headers.set("Authorization", `Bearer ${session.accessToken}`);
      }
      return request;
    },
  });
  return api;
}

/** An answer that is an RFC 9457 problem document (every 4xx and 5xx of the API). */
export class ProblemError extends Error {
  override readonly name = "ProblemError";

  constructor(
    readonly problem: Problem,
    readonly response: Response,
  ) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
  }

  /** The problem's type after PROBLEM_TYPES: `store-name-taken`, `validation-error`, ... */
  get kind(): string {
    return this.problem.type.startsWith(PROBLEM_TYPES)
      ? this.problem.type.slice(PROBLEM_TYPES.length)
      : this.problem.type;
  }

  /** Each refused field's message, by field (validation problems carry them). */
  get fieldErrors(): Record<string, string> {
    return Object.fromEntries((this.problem.errors ?? []).map((e) => [e.field, e.message]));
  }
}

type Answer = { data?: unknown; error?: unknown; response: Response };

/** The answer's data, or a ProblemError when the API answered with a problem. */
export function ok<A extends Answer>(answer: A): Exclude<A["data"], undefined> {
  if (answer.error === undefined) {
    return answer.data as Exclude<A["data"], undefined>;
  }
  throw new ProblemError(asProblem(answer.error, answer.response), answer.response);
}

function asProblem(error: unknown, response: Response): Problem {
  if (typeof error === "object" && error !== null && "type" in error && "status" in error) {
    return error as Problem;
  }
  // Not from the API itself (a proxy's error page, say): the same shape, from the status.
  return {
    type: "about:blank",
    title: response.statusText,
    status: response.status,
    detail: typeof error === "string" ? error.slice(0, 200) : String(error),
    instance: null,
    errors: null,
  };
}

/** A list's page: its members under one key, and `_links` (`self`, `first`, `next`, `prev`). */
export interface Paged {
  _links: { [rel: string]: Schemas["Link"] };
}

/** What a link of the API points to. An href is opaque (a path and a query with a signed
 * cursor): it is sent as given, through the same client, and the caller names its type. */
export async function follow<T>(api: StoreApi, href: string): Promise<T> {
  // openapi-fetch appends a path to the base URL as it is; any GET path's type stands in.
  const answer = await api.GET(href as "/");
  return ok(answer) as unknown as T;
}

/** Every page of a list, from `first` on, following each page's `next` link. */
export async function* pages<T extends Paged>(api: StoreApi, first: T): AsyncGenerator<T> {
  let page: T | undefined = first;
  while (page !== undefined) {
    yield page;
    const next: string | undefined = page._links["next"]?.href;
    page = next === undefined ? undefined : await follow<T>(api, next);
  }
}
