import sys

from igemo_fin.cli.main import main

sys.exit(main())
