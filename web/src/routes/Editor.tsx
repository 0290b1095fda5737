import * as Tabs from "@radix-ui/react-tabs";
import { useCallback, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useParams } from "react-router";
import { ApiError, type Patch, type ProductOverlay, type ProjectPublic } from "../api/client";
import { edits } from "../api/edits";
import { HistoryList } from "../components/History/HistoryList";
import { UndoToolbar } from "../components/History/UndoToolbar";
import { BatchPanel } from "../components/Batch/BatchPanel";
import { MediaPanel } from "../components/Media/MediaPanel";
import { MusicPanel } from "../components/Music/MusicPanel";
import { OutputPanel } from "../components/Output/OutputPanel";
import { OverlayEditor } from "../components/Overlay/OverlayEditor";
import { ProductImagePicker } from "../components/Overlay/ProductImagePicker";
import { RenderPanel } from "../components/Render/RenderPanel";
import { SceneActions } from "../components/Scenes/SceneActions";
import { SceneInspector } from "../components/Scenes/SceneInspector";
import { SceneList, type SceneListItem } from "../components/Scenes/SceneList";
import { FieldError } from "../components/ui/FieldError";
import { Loading } from "../components/ui/Loading";
import { VoicePanel } from "../components/Voice/VoicePanel";
import { OverlayHandle } from "../components/Player/OverlayHandle";
import { handlePlayerKey, PlayerControls, PreviewPlayer } from "../components/Player/PreviewPlayer";
import { Timeline } from "../components/Timeline/Timeline";
import { EditorProvider, useEditor, useEditorRunner, useProjectEdit, useProjectQuery } from "../hooks/useEditor";
import { useSceneTimes, useTimeline } from "../hooks/useTimeline";
import { urls } from "../api/client";
import { formatSeconds, frameVersion, midpoint } from "../lib/timing";

export function Editor() {
  const { projectId = "" } = useParams();
  const query = useProjectQuery(projectId);
  const editor = useEditorRunner(projectId, query.data);
  if (query.error) {
    const missing = query.error instanceof ApiError && query.error.status === 404;
    return (
      <main className="editor">
        <p role="alert">{missing ? "This project does not exist (or is not yours)." : query.error.message}</p>
      </main>
    );
  }
  if (!editor) return <Loading what="project" />;
  return (
    <EditorProvider value={editor}>
      <EditorScreen />
    </EditorProvider>
  );
}

function EditorScreen() {
  const { project, notice, dismissNotice, pending, jumping } = useEditor();
  const document = project.document;
  const scenes = document.scenes ?? [];
  // The server's timeline of this revision; the estimate while it loads or if it fails.
  const { times, total, estimated, status } = useSceneTimes(project);
  const [selectedId, setSelectedId] = useState<string | null>(scenes[0]?.id ?? null);
  const selectedIndex = Math.max(0, scenes.findIndex((s) => s.id === selectedId));
  const selected = scenes[selectedIndex];
  const selectedTime = times[selectedIndex];

  const undo = useProjectEdit((ids, _: void) => edits.undo(ids));
  const redo = useProjectEdit((ids, _: void) => edits.redo(ids));
  const reorder = useProjectEdit((ids, sceneIds: string[]) => edits.putSceneOrder(ids, sceneIds));
  const overlay = useProjectEdit((ids, v: { sceneId: string; patch: Patch<ProductOverlay> }) =>
    edits.patchProductOverlay(ids, v.sceneId, v.patch),
  );

  // Stills at each scene's real midpoint. While the timeline loads, a scene whose midpoint is
  // not known yet keeps its last still instead of fetching one at a guessed time (that frame
  // may belong to another scene, and would be rendered for nothing); if the timeline fails,
  // the estimate is used.
  const lastStills = useRef(new Map<string, string>());
  const stillOf = useMemo(() => {
    return (index: number): string | undefined => {
      const time = times[index];
      if (!time) return undefined;
      const known = times.slice(0, index + 1).every((t) => !t.estimated);
      if (!known && status === "loading") return lastStills.current.get(time.id);
      const t = midpoint(time);
      const url = urls.frame(project.id, t, frameVersion(document, index, t));
      lastStills.current.set(time.id, url);
      return url;
    };
  }, [times, status, project.id, document]);

  // While a new order is on its way, show it (the server's answer replaces it).
  const order = reorder.isPending ? reorder.variables : null;
  const items: SceneListItem[] = useMemo(() => {
    const list = scenes.map((scene, index) => ({ scene, time: times[index]!, thumbnailUrl: stillOf(index) }));
    if (!order) return list;
    return order.flatMap((id) => list.filter((item) => item.scene.id === id));
  }, [scenes, times, order, stillOf]);

  const previewTime = selectedTime ? midpoint(selectedTime) : 0;

  // The live preview and its timeline share the playhead.
  const video = useRef<HTMLVideoElement>(null);
  const [playhead, setPlayhead] = useState(0);
  const seek = useCallback((seconds: number) => {
    if (video.current) video.current.currentTime = seconds;
    setPlayhead(seconds);
  }, []);
  const playerKeys = useCallback((event: KeyboardEvent) => {
    handlePlayerKey(event, video.current);
  }, []);
  const timeline = useTimeline(project.id, project.revision);
  const [aspectW, aspectH] = (document.output?.aspect ?? "16:9").split(":").map(Number);
  const ratio = aspectW && aspectH ? aspectW / aspectH : 16 / 9;
  const timelineScenes = useMemo(
    () =>
      scenes.map((scene, index) => ({
        scene,
        time: times[index]!,
        thumbnailUrl: stillOf(index),
        narrationSeconds: timeline.data?.scenes[index]?.narrationSeconds ?? 0,
      })),
    [scenes, times, stillOf, timeline.data],
  );

  return (
    <main className="editor">
      <div className="editor-toolbar">
        <h1>{project.title}</h1>
        <span className="muted">
          {scenes.length} scenes · <span data-testid="total-duration">{estimated ? "≈ " : ""}{formatSeconds(total)}</span>
        </span>
        <span className="spacer" />
        <span className="muted" role="status">{pending > 0 ? "Saving…" : "All changes saved"}</span>
        <UndoToolbar
          canUndo={project.canUndo}
          canRedo={project.canRedo}
          onUndo={() => undo.mutate()}
          onRedo={() => redo.mutate()}
          busy={undo.isPending || redo.isPending || jumping}
          error={undo.error ?? redo.error}
        />
      </div>
      {notice && (
        <div className="notice" role="alert">
          <span>{notice}</span>
          <button type="button" onClick={dismissNotice}>Dismiss</button>
        </div>
      )}
      <div className="editor-grid">
        <section className="card scenes-column" aria-labelledby="scenes-title">
          <h2 id="scenes-title">Scenes</h2>
          <p className="hint" id="reorder-hint">Drag a handle, or focus it and press Space then the arrow keys, to reorder.</p>
          <SceneList items={items} selectedId={selected?.id ?? null} onSelect={setSelectedId} onReorder={(ids) => reorder.mutate(ids)} />
          <FieldError error={reorder.error} />
          <SceneActions scenes={scenes} selectedIndex={selectedIndex} onSelect={setSelectedId} />
        </section>
        <div className="center-column">
          {scenes.length > 0 && (
            <section className="card preview-card" aria-labelledby="preview-title" onKeyDown={playerKeys}>
              <h2 id="preview-title">Preview</h2>
              <div className="preview-stage" style={{ aspectRatio: `${ratio}`, width: `min(100%, calc(70vh * ${ratio}))` }}>
                <PreviewPlayer projectId={project.id} revision={project.revision} videoRef={video} onTime={setPlayhead} />
                {selected?.productOverlay?.enabled && document.product?.image ? (
                  <OverlayHandle
                    overlay={selected.productOverlay}
                    ratio={ratio}
                    sceneNumber={selectedIndex + 1}
                    onChange={(patch) => overlay.mutateAsync({ sceneId: selected.id, patch })}
                  />
                ) : null}
              </div>
              <PlayerControls videoRef={video} time={playhead} total={total} />
              <Timeline
                scenes={timelineScenes}
                total={total}
                playhead={playhead}
                selectedId={selected?.id ?? null}
                onSelect={setSelectedId}
                onSeek={seek}
              />
              <p className="hint">Space plays or pauses, ←/→ step one frame, J/K/L back, pause, play.</p>
            </section>
          )}
          {selected && selectedTime ? (
            <>
              <OverlayEditor
                key={selected.id}
                sceneId={selected.id}
                overlay={selected.productOverlay ?? { enabled: false, scale: 0.4, animation: "fade" }}
                previewUrl={stillOf(selectedIndex)}
                previewAlt={`Still frame of scene ${selectedIndex + 1} at ${previewTime.toFixed(1)} s`}
                onSave={(patch) => overlay.mutateAsync({ sceneId: selected.id, patch })}
                hasProductImage={Boolean(document.product?.image)}
                aspect={document.output?.aspect}
                productImage={<ProductImagePicker />}
              />
              <SceneInspector scene={selected} number={selectedIndex + 1} time={selectedTime} />
            </>
          ) : (
            <p className="card muted">This project has no scenes yet: add one.</p>
          )}
        </div>
        <SidePanels project={project} />
      </div>
    </main>
  );
}

function SidePanels({ project }: { project: ProjectPublic }) {
  return (
    <Tabs.Root className="side-panels card" defaultValue="voice">
      <Tabs.List className="tabs" aria-label="Project settings">
        <Tabs.Trigger value="voice">Voice</Tabs.Trigger>
        <Tabs.Trigger value="music">Music</Tabs.Trigger>
        <Tabs.Trigger value="output">Output</Tabs.Trigger>
        <Tabs.Trigger value="media">Media</Tabs.Trigger>
        <Tabs.Trigger value="render">Render</Tabs.Trigger>
        <Tabs.Trigger value="history">History</Tabs.Trigger>
        <Tabs.Trigger value="batch">Batch</Tabs.Trigger>
      </Tabs.List>
      <Tabs.Content value="voice"><VoicePanel /></Tabs.Content>
      <Tabs.Content value="music"><MusicPanel /></Tabs.Content>
      <Tabs.Content value="output"><OutputPanel /></Tabs.Content>
      <Tabs.Content value="media"><MediaPanel /></Tabs.Content>
      <Tabs.Content value="render" forceMount><RenderPanel /></Tabs.Content>
      <Tabs.Content value="history"><HistoryList key={project.id} /></Tabs.Content>
      <Tabs.Content value="batch"><BatchPanel /></Tabs.Content>
      {project.document.product?.image ? <ProductImageFooter /> : null}
    </Tabs.Root>
  );
}

function ProductImageFooter() {
  return (
    <div className="side-footer">
      <ProductImagePicker />
    </div>
  );
}

