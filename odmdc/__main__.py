from odmdc.cli import main

raise SystemExit(main())
