from kacrm.cli.app import main

main()
