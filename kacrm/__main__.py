from kacrm.cli.entry import main

main()
