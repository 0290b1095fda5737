import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, ApiError, CSRF_HEADER, unwrap, type BatchPublic, type ErrorDetail, type Scene } from "../../api/client";
import { edits } from "../../api/edits";
import { useEditor } from "../../hooks/useEditor";
import { FieldError } from "../ui/FieldError";
import { parseCsv } from "./csv";

type Field = "title" | "color" | "image";
const FIELD_LABELS: Record<Field, string> = { title: "Title text", color: "Background colour", image: "Image" };
const FINAL = new Set(["succeeded", "partial", "failed", "cancelled"]);

/** The value a scene's field has now, if the scene has that field. */
function currentValue(scene: Scene, field: Field): string | null {
  if (field === "title") return scene.title?.text ?? null;
  if (field === "color") return scene.visual?.type === "color" ? (scene.visual.color ?? null) : null;
  return scene.visual?.type === "image" ? scene.visual.src : null;
}

/**
 * Templates and batches: turn a scene's title, colour or image into a variable, see the
 * variables, upload a CSV of rows, render one video per row and follow each row.
 */
export function BatchPanel() {
  const { project } = useEditor();
  const variables = Object.entries(project.document.variables ?? {});
  const [batchId, setBatchId] = useState<string | null>(null);

  return (
    <section className="panel" aria-labelledby="batch-title">
      <h2 id="batch-title">Batch</h2>
      <h3>Variables</h3>
      {variables.length ? (
        <table className="batch-table" aria-label="Variables">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Default</th>
            </tr>
          </thead>
          <tbody>
            {variables.map(([name, variable]) => (
              <tr key={name}>
                <td>
                  <code>{`{{${name}}}`}</code>
                </td>
                <td>{variable.type}</td>
                <td>{variable.default == null ? "" : String(variable.default)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No variables yet: make a scene’s title, colour or image one.</p>
      )}
      <MakeVariable />
      {variables.length ? <StartBatch onStarted={setBatchId} /> : null}
      {batchId && <BatchStatus key={batchId} batchId={batchId} />}
    </section>
  );
}

function MakeVariable() {
  const { project, run } = useEditor();
  const scenes = project.document.scenes ?? [];
  const [sceneId, setSceneId] = useState(scenes[0]?.id ?? "");
  const [field, setField] = useState<Field>("title");
  const [name, setName] = useState("");
  const make = useMutation({
    mutationFn: async () => {
      const scene = scenes.find((s) => s.id === sceneId);
      const value = scene ? currentValue(scene, field) : null;
      if (!scene || value == null) throw new ApiError(400, { message: `This scene has no ${FIELD_LABELS[field].toLowerCase()}.` });
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) throw new ApiError(400, { message: "A name is letters, digits and _, not starting with a digit." });
      const type = field === "title" ? "text" : field;
      await run((ids) => edits.patchProject(ids, { variables: { [name]: { type, default: value } } }));
      const placeholder = `{{${name}}}`;
      const patch =
        field === "title"
          ? { title: { text: placeholder } }
          : field === "color"
            ? { visual: { type: "color" as const, color: placeholder } }
            : { visual: { type: "image" as const, src: placeholder } };
      await run((ids) => edits.patchScene(ids, sceneId, patch));
      setName("");
    },
  });
  return (
    <form
      className="make-variable"
      onSubmit={(event) => {
        event.preventDefault();
        make.mutate();
      }}
    >
      <h3>Make a variable</h3>
      <div className="row wrap">
        <label>
          Scene{" "}
          <select value={sceneId} onChange={(e) => setSceneId(e.target.value)}>
            {scenes.map((s, i) => (
              <option key={s.id} value={s.id}>
                {i + 1}. {s.title?.text || s.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Field{" "}
          <select value={field} onChange={(e) => setField(e.target.value as Field)}>
            {(Object.keys(FIELD_LABELS) as Field[]).map((f) => (
              <option key={f} value={f}>
                {FIELD_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name <input value={name} onChange={(e) => setName(e.target.value)} placeholder="name" />
        </label>
        <button type="submit" disabled={make.isPending || !name}>
          Make variable
        </button>
      </div>
      <FieldError error={make.error} />
    </form>
  );
}

async function startFromCsv(projectId: string, csv: string, preview: boolean): Promise<BatchPublic> {
  const response = await fetch(`/api/projects/${encodeURIComponent(projectId)}/batches/csv?preview=${preview}`, {
    method: "POST",
    body: csv,
    headers: { ...CSRF_HEADER, "Content-Type": "text/csv" },
    credentials: "same-origin",
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw new ApiError(response.status, (body as { error?: ErrorDetail } | undefined)?.error);
  return body as BatchPublic;
}

function StartBatch({ onStarted }: { onStarted: (id: string) => void }) {
  const { project } = useEditor();
  const [csv, setCsv] = useState<{ name: string; text: string } | null>(null);
  const start = useMutation({
    mutationFn: (preview: boolean) => startFromCsv(project.id, csv?.text ?? "", preview),
    onSuccess: (batch) => onStarted(batch.id),
  });
  const parsed = csv ? parseCsv(csv.text) : [];
  const rows = parsed.length;
  return (
    <div className="start-batch">
      <h3>Rows</h3>
      <label className="field">
        CSV file (a header row naming the variables, and optionally id)
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            setCsv(file ? { name: file.name, text: await file.text() } : null);
          }}
        />
      </label>
      {csv && (
        <p data-testid="batch-file">
          {csv.name}: {rows} {rows === 1 ? "row" : "rows"}
        </p>
      )}
      {rows > 0 && <RowStill rows={parsed} />}
      <div className="row wrap">
        <button type="button" className="primary" disabled={!csv || start.isPending} onClick={() => start.mutate(true)}>
          Render batch previews
        </button>
        <button type="button" disabled={!csv || start.isPending} onClick={() => start.mutate(false)}>
          Render batch
        </button>
      </div>
      <FieldError error={start.error} />
    </div>
  );
}

/** One row of the CSV as a still frame of the template, at a chosen time. */
function RowStill({ rows }: { rows: Record<string, string>[] }) {
  const { project } = useEditor();
  const [index, setIndex] = useState(0);
  const [seconds, setSeconds] = useState(0);
  const [failed, setFailed] = useState<string | null>(null);
  const row = rows[Math.min(index, rows.length - 1)] ?? {};
  const { id: _id, ...values } = row;
  const declared = project.document.variables ?? {};
  const known = Object.fromEntries(Object.entries(values).filter(([name]) => name in declared || name === "id" && "id" in declared));
  const src =
    `/api/projects/${encodeURIComponent(project.id)}/frame?t=${seconds.toFixed(3)}` +
    `&values=${encodeURIComponent(JSON.stringify(known))}&v=${project.revision}`;
  return (
    <div className="row-still">
      <div className="row wrap">
        <label>
          Preview row{" "}
          <select value={index} onChange={(e) => { setIndex(Number(e.target.value)); setFailed(null); }}>
            {rows.map((r, i) => (
              <option key={i} value={i}>
                {i + 1}. {r.id ?? ""}
              </option>
            ))}
          </select>
        </label>
        <label>
          at{" "}
          <input
            type="number"
            min={0}
            step={0.5}
            value={seconds}
            onChange={(e) => { setSeconds(Math.max(0, Number(e.target.value) || 0)); setFailed(null); }}
            style={{ width: "5rem" }}
          />{" "}
          s
        </label>
      </div>
      {failed ? (
        <p className="field-error">{failed}</p>
      ) : (
        <img
          key={src}
          src={src}
          alt={`Row ${index + 1} at ${seconds} s`}
          data-testid="row-still"
          className="player"
          onError={async () => {
            const response = await fetch(src, { credentials: "same-origin" });
            const body = (await response.json().catch(() => undefined)) as { error?: ErrorDetail } | undefined;
            setFailed(body?.error?.message ?? "This row cannot be previewed.");
          }}
        />
      )}
    </div>
  );
}

function BatchStatus({ batchId }: { batchId: string }) {
  const batch = useQuery({
    queryKey: ["batch", batchId],
    queryFn: async () => unwrap(await api.GET("/api/batches/{batch_id}", { params: { path: { batch_id: batchId } } })),
    refetchInterval: (query) => (query.state.data?.finishedAt ? false : 1000),
  });
  const cancel = useMutation({
    mutationFn: async () => unwrap(await api.DELETE("/api/batches/{batch_id}", { params: { path: { batch_id: batchId } } })),
    onSuccess: () => batch.refetch(),
  });
  const data = batch.data;
  if (!data) return <FieldError error={batch.error} />;
  const done = FINAL.has(data.status) && data.finishedAt;
  return (
    <div className="batch-status" aria-live="polite">
      <h3>
        Batch <span data-testid="batch-status">{data.status}</span>{" "}
        <span className="muted">
          ({data.rowsDone} of {data.rows.length} rows done{data.rowsFailed ? `, ${data.rowsFailed} failed` : ""})
        </span>
      </h3>
      <progress max={data.rows.length} value={data.rowsDone} aria-label="Rows done" />
      <table className="batch-table" aria-label="Batch rows">
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Status</th>
            <th scope="col">Output</th>
          </tr>
        </thead>
        <tbody>
          {data.rows.map((row) => (
            <tr key={row.id} data-testid={`batch-row-${row.id}`}>
              <td>{row.id}</td>
              <td>{row.status}</td>
              <td>
                {row.status === "succeeded" && row.renderId ? (
                  <a href={`/api/renders/${row.renderId}/output`} download={`${row.id}.mp4`}>
                    {row.id}.mp4
                  </a>
                ) : (
                  <span className="field-error">{row.error ?? ""}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row wrap">
        {done ? (
          <a className="button" href={`/api/batches/${batchId}/results.csv`} download>
            Download results (CSV)
          </a>
        ) : (
          <button type="button" className="danger" disabled={data.cancelRequested || cancel.isPending} onClick={() => cancel.mutate()}>
            {data.cancelRequested ? "Cancelling…" : "Cancel batch"}
          </button>
        )}
      </div>
      <FieldError error={cancel.error} />
    </div>
  );
}
