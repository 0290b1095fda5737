/**
 * The scene list: thumbnail, narration excerpt and duration of each scene, reordered by drag
 * and drop (pointer or keyboard: focus a handle, Space to lift, arrows to move, Space to drop)
 * or with the move up/down buttons. It reports the new order; the caller saves it.
 */
import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type DragEndEvent,
} from "@dnd-kit/core";
import {
  arrayMove,
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import type { Scene } from "../../api/client";
import { formatSceneTime, type SceneTime } from "../../lib/timing";

export interface SceneListItem {
  scene: Scene;
  time: SceneTime;
  /** The still at the scene's midpoint; none while that is not known yet. */
  thumbnailUrl: string | undefined;
}

interface Props {
  items: SceneListItem[];
  selectedId: string | null;
  onSelect: (sceneId: string) => void;
  onReorder: (sceneIds: string[]) => void;
  disabled?: boolean;
}

export function excerpt(text: string, max = 70): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if (!clean) return "(no narration)";
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}

export function SceneList({ items, selectedId, onSelect, onReorder, disabled }: Props) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const ids = items.map((item) => item.scene.id);
  const numberOf = (id: string | number) => ids.indexOf(String(id)) + 1;

  const move = (from: number, to: number) => {
    if (to < 0 || to >= ids.length || from === to) return;
    onReorder(arrayMove(ids, from, to));
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    move(ids.indexOf(String(active.id)), ids.indexOf(String(over.id)));
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{
        announcements: {
          onDragStart: ({ active }) => `Picked up scene ${numberOf(active.id)}.`,
          onDragOver: ({ active, over }) =>
            over ? `Scene ${numberOf(active.id)} is over position ${numberOf(over.id)}.` : undefined,
          onDragEnd: ({ active, over }) =>
            over ? `Scene moved to position ${numberOf(over.id)}.` : `Scene ${numberOf(active.id)} dropped.`,
          onDragCancel: ({ active }) => `Moving scene ${numberOf(active.id)} was cancelled.`,
        },
      }}
    >
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        <ol className="scene-list" aria-label="Scenes">
          {items.map((item, index) => (
            <SortableScene
              key={item.scene.id}
              item={item}
              index={index}
              count={items.length}
              selected={item.scene.id === selectedId}
              disabled={disabled}
              onSelect={() => onSelect(item.scene.id)}
              onMove={(to) => move(index, to)}
            />
          ))}
        </ol>
      </SortableContext>
    </DndContext>
  );
}

interface ItemProps {
  item: SceneListItem;
  index: number;
  count: number;
  selected: boolean;
  disabled?: boolean;
  onSelect: () => void;
  onMove: (to: number) => void;
}

function SortableScene({ item, index, count, selected, disabled, onSelect, onMove }: ItemProps) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } =
    useSortable({ id: item.scene.id, disabled });
  const { scene, time, thumbnailUrl } = item;
  const number = index + 1;
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      className={`scene-item${selected ? " is-selected" : ""}${isDragging ? " is-dragging" : ""}`}
      data-scene-id={scene.id}
      data-testid="scene-item"
    >
      <button
        type="button"
        ref={setActivatorNodeRef}
        className="drag-handle"
        aria-label={`Drag scene ${number} to reorder`}
        {...attributes}
        {...listeners}
      >
        ⋮⋮
      </button>
      <button type="button" className="scene-select" onClick={onSelect} aria-pressed={selected} aria-label={`Scene ${number}: ${excerpt(scene.narration, 40)}`}>
        <img className="thumbnail" src={thumbnailUrl} alt="" loading="lazy" width={96} height={54} />
        <span className="scene-text">
          <span className="scene-number">Scene {number}</span>
          <span className="scene-excerpt">{excerpt(scene.narration)}</span>
          <span className="scene-duration">
            {formatSceneTime(time)}
          </span>
        </span>
      </button>
      <span className="move-buttons">
        <button type="button" aria-label={`Move scene ${number} up`} disabled={disabled || index === 0} onClick={() => onMove(index - 1)}>
          ↑
        </button>
        <button type="button" aria-label={`Move scene ${number} down`} disabled={disabled || index === count - 1} onClick={() => onMove(index + 1)}>
          ↓
        </button>
      </span>
    </li>
  );
}
