import { ApiError } from "../../api/client";

/** The server's message about the control next to it (the error JSON names the `field`). */
export function FieldError({ error, id }: { error: unknown; id?: string }) {
  if (!error) return null;
  const message =
    error instanceof ApiError
      ? error.field && !error.message.includes(error.field)
        ? `${error.message} (${error.field})`
        : error.message
      : error instanceof Error
        ? error.message
        : String(error);
  return (
    <p className="field-error" role="alert" id={id}>
      {message}
    </p>
  );
}
