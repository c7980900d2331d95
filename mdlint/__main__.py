from mdlint.cli import main

raise SystemExit(main())
