"""The format kernel: how drillbook reads any file a person writes.

YAML with positions (``yamlsource``), placed errors (``errors``), the reading bounds
(``limits``), text made safe to show (``safetext``), story offsets (``offsets``) and
pydantic errors turned into placed lines (``validation``). Scenarios, plans, client profiles,
rosters, transcripts, journals and the register all read through here; nothing here imports
any other part of drillbook, so the kernel sits on the ground floor of the layers.
"""
