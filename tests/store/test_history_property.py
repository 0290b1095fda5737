"""Undo/redo against a model: a list of states and a pointer (hypothesis, in-process SQLite)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelforge.errors import NothingToUndo
from reelforge.spec import Project
from reelforge.store import edits, projects
from reelforge.store.db import Database
from reelforge.store.users import create_user

SCENES = ["a", "b", "c"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, str]]:
    folder: Path = tmp_path_factory.mktemp("history")
    db = Database(f"sqlite:///{folder / 'db.sqlite'}")
    db.migrate(lock_dir=folder)
    with db.session() as session:
        user = create_user(session=session, name="prop")
    yield db, user.id
    db.dispose()


def no_refs(_project: Project) -> None:
    return None


operations = st.one_of(
    st.tuples(st.just("title"), st.sampled_from(["One", "Two", "Three"])),
    st.tuples(st.just("scale"), st.sampled_from([0.1, 0.25, 0.5, 0.8])),
    st.tuples(st.just("order"), st.permutations(SCENES)),
    st.tuples(st.just("undo"), st.none()),
    st.tuples(st.just("redo"), st.none()),
)


def apply(document: dict[str, Any], kind: str, value: Any) -> edits.Edit:
    if kind == "title":
        return edits.patch_project(document, {"title": value})
    if kind == "scale":
        return edits.patch_product_overlay(document, document["scenes"][0]["id"], {"scale": value})
    return edits.reorder_scenes(document, list(value))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(operations, max_size=12))
def test_undo_redo_match_a_list_of_states(
    store: tuple[Database, str], steps: list[tuple[str, Any]]
) -> None:
    db, owner = store
    document = {"title": "Start", "scenes": [{"id": s} for s in SCENES]}
    with db.session() as session:
        view = projects.create_project(
            session=session, owner_id=owner, document=document, check_refs=no_refs
        )
    states = [view.document.to_document()]
    pointer = 0
    revision = view.revision
    for kind, value in steps:
        changed = kind in ("undo", "redo")
        with db.session() as session:
            common = {
                "session": session,
                "owner_id": owner,
                "project_id": view.id,
                "check_refs": no_refs,
            }
            if kind in ("undo", "redo"):
                step = -1 if kind == "undo" else 1
                if not 0 <= pointer + step < len(states):
                    with pytest.raises(NothingToUndo):
                        getattr(projects, kind)(**common, if_match=revision)
                    continue
                result = getattr(projects, kind)(**common, if_match=revision)
                pointer += step
            else:
                result = projects.apply_edit(
                    **common,
                    if_match=revision,
                    edit=lambda doc, k=kind, v=value: apply(doc, k, v),
                )
                new = result.document.to_document()
                changed = new != states[pointer]
                if changed:
                    states = [*states[: pointer + 1], new]  # the redo branch is dropped
                    pointer += 1
        assert result.document.to_document() == states[pointer]
        assert result.can_undo == (pointer > 0)
        assert result.can_redo == (pointer < len(states) - 1)
        assert result.revision == revision + (1 if changed else 0)
        revision = result.revision
    with db.session() as session:
        stored = projects.get_project(session=session, owner_id=owner, project_id=view.id)
        history = projects.history(session=session, owner_id=owner, project_id=view.id)
    assert stored.document.to_document() == states[pointer]
    assert len(history.entries) == len(states)
