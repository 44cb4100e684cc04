"""A file upload: drop a file or choose it in a dialog; read in 1 MB chunks on demand.

Solara's ``FileDrop`` takes dropped files only; this is the same widget (ipyvuetify's chunked
``FileInput``) with a file dialog too, so a user can browse for their org chart.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import solara
import solara.hooks
import traitlets
from solara.components.file_drop import FileDropZone

__all__ = ["FileChooser"]


class _Zone(FileDropZone):
    template_file = (__file__, "file_chooser.vue")
    multiple = traitlets.Bool(False).tag(sync=True)
    css_class = traitlets.Unicode("").tag(sync=True)


@solara.component
def FileChooser(label: str, on_file: Callable[[Any], None], classes: tuple[str, ...] = ()):
    """``on_file(info)`` gets Solara's ``FileInfo`` (name, size, file_obj read lazily)."""
    info, set_info = solara.use_state(None)
    wired, set_wired = solara.use_state(None)
    zone = _Zone.element(label=label, on_file_info=set_info, multiple=False,
                         css_class=" ".join(classes))

    def wire():
        if info:
            real = solara.get_widget(zone)
            real.version += 1  # as solara's FileDrop: re-arm the chunk listeners
            real.reset_stats()
            set_wired(real.get_files())

    solara.use_effect(wire, [info])

    def handle(cancel: threading.Event) -> None:
        if wired:
            on_file({**wired[0], "data": None})

    result = solara.hooks.use_thread(handle, [wired])
    if result.error:
        raise result.error
    return zone
