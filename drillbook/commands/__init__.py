"""Sub-commands of ``drillbook``; each module has ``add(subparsers)`` and a handler."""
