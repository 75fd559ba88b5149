"""The read side: from a store and an as-of date to the figures every surface shows.

Below both front ends (the dashboard's pages and the `popdash` command line) and above
`analytics` and `loaders`; no user interface here. See docs/architecture.md.

- `snapshots`: which snapshot is in force on a day (`latest_on_or_before`).
- `projection`: the institution projection of a store (`projection_inputs`, `project_store`).
- `roster`, `designations`, `national`: the figures the pages cache per store version.
- `briefing/`: the Warden's briefing (`gather`, `assemble`), its charts, and its PDF and PPTX files.
- `theme`: colours and number formats shared by pages, charts and files.
"""
