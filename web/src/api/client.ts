/**
 * The typed API client: `openapi-fetch` over the generated `schema.d.ts` (run `npm run gen:api`
 * after a server change). Every request sends `X-Requested-With`, which the server asks of
 * cookie-authenticated writes (CSRF). Errors become `ApiError`, carrying the server's
 * `{"error": {"code", "message", "field"}}`.
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

type Schemas = components["schemas"];
export type ProjectPublic = Schemas["ProjectPublic"];
export type ProjectSummary = Schemas["ProjectSummary"];
export type ProjectDocument = Schemas["Project"];
export type Scene = Schemas["Scene"];
export type Visual = NonNullable<Scene["visual"]>;
export type ProductOverlay = Schemas["ProductOverlay"];
export type OverlayPosition = Schemas["OverlayPosition"];
export type Music = Schemas["Music"];
export type Output = Schemas["Output"];
export type VoicePublic = Schemas["VoicePublic"];
export type MusicStylePublic = Schemas["MusicStylePublic"];
export type HistoryPublic = Schemas["HistoryPublic"];
export type RenderPublic = Schemas["RenderPublic"];
export type BatchPublic = Schemas["BatchPublic"];
export type AssetPublic = Schemas["AssetPublic"];
export type UserPublic = Schemas["UserPublic"];
export type ErrorDetail = Schemas["ErrorDetail"];

/** A JSON merge patch of `T`: every field optional, nested objects too (arrays are replaced). */
export type Patch<T> = {
  [K in keyof T]?: NonNullable<T[K]> extends unknown[]
    ? T[K] | null
    : NonNullable<T[K]> extends object
      ? Patch<NonNullable<T[K]>> | null
      : T[K] | null;
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: number, detail: Partial<ErrorDetail> | undefined) {
    super(detail?.message ?? `request failed (HTTP ${status})`);
    this.name = "ApiError";
    this.status = status;
    this.code = detail?.code ?? "error";
    this.field = detail?.field ?? undefined;
  }

  /** The project changed since the revision the client sent in If-Match. */
  get isConflict(): boolean {
    return this.status === 409 && this.code === "revision_conflict";
  }
}

export const CSRF_HEADER = { "X-Requested-With": "reelforge-web" } as const;

export const api = createClient<paths>({ baseUrl: "", headers: CSRF_HEADER, credentials: "same-origin" });

/** The data of an openapi-fetch result, or throws its error as `ApiError`. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    const body = result.error as { error?: Partial<ErrorDetail> } | undefined;
    throw new ApiError(result.response.status, body?.error);
  }
  return result.data as T;
}

/** Upload a file (multipart); returns the asset, referenced in documents as `asset.ref`. */
export async function uploadAsset(file: File): Promise<AssetPublic> {
  const form = new FormData();
  form.append("file", file);
  const response = await fetch("/api/assets", {
    method: "POST",
    body: form,
    headers: CSRF_HEADER,
    credentials: "same-origin",
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    throw new ApiError(response.status, (body as { error?: ErrorDetail } | undefined)?.error);
  }
  return body as AssetPublic;
}

/** URLs of binary resources that `<img>`, `<audio>` and `<video>` fetch with the cookie. */
export const urls = {
  frame: (projectId: string, t: number, version: string) =>
    `/api/projects/${encodeURIComponent(projectId)}/frame?t=${t.toFixed(3)}&v=${version}`,
  voiceSample: (voiceId: string) => `/api/voices/${encodeURIComponent(voiceId)}/sample`,
  musicSample: (style: string) => `/api/music-styles/${encodeURIComponent(style)}/sample`,
  asset: (ref: string) => `/api/assets/${encodeURIComponent(ref.replace(/^asset:/, ""))}`,
  /** A picture asset as rendered: upright, sRGB, PNG (so HEIC and TIFF show in any browser). */
  assetPicture: (ref: string) => `/api/assets/${encodeURIComponent(ref.replace(/^asset:/, ""))}/picture`,
  renderEvents: (renderId: string) => `/api/renders/${encodeURIComponent(renderId)}/events`,
};
