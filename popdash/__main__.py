from popdash.cli import main

raise SystemExit(main())
