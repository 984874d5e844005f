from safehub.cli import main

main()
