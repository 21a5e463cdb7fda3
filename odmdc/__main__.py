from odmdc.compiler.cli import main

raise SystemExit(main())
