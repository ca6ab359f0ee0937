from decision_engine.cli import main

raise SystemExit(main())
